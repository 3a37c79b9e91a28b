namespace PatternTts.Router.Proxy;

/// <summary>
/// Phase 1's shadow traffic: after a request the legacy arm served, a sampled copy goes to the new arm in the
/// background. It runs after the client's answer, so it never delays it.
/// </summary>
internal sealed class ShadowMirrorMiddleware(RequestDelegate next, RolloutStateStore store, ShadowMirror shadow)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);

        var feature = context.GetRolloutFeature();
        if (feature.Arm != Arm.Legacy || feature.Decision.Arm != Arm.Legacy || !store.Current.ShadowEnabled
            || feature.Body == RequestBodyState.NotReplayable || feature.UpstreamPathAndQuery is not { } path
            || context.RequestAborted.IsCancellationRequested || !shadow.ShouldSample())
        {
            return;
        }

        var body = feature.Body == RequestBodyState.Buffered ? await ReadBodyAsync(context.Request, context.RequestAborted) : [];
        shadow.TryMirror(new ShadowRequest(context.Request.Method, path, body, ShadowMirror.CaptureHeaders(context.Request.Headers)));
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.Body.Position = 0;
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, cancellationToken);
        return copy.ToArray();
    }
}
