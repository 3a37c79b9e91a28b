namespace PatternTts.Router.Proxy;

/// <summary>
/// Phase 1's shadow traffic: after a request the legacy arm served, a sampled copy goes to the new arm in the
/// background, with what legacy answered (measured on its way to the client) so the two answers can be compared.
/// It runs after the client's answer, so it never delays it.
/// </summary>
internal sealed class ShadowMirrorMiddleware(RequestDelegate next, RolloutStateStore store, ShadowMirror shadow)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var feature = context.GetRolloutFeature();
        if (feature.Decision.Arm != Arm.Legacy || !store.Current.ShadowEnabled || !shadow.ShouldSample())
        {
            await next(context);
            return;
        }

        AudioMeter? meter = null;
        var original = context.Response.Body;
        context.Response.Body = new MeteredResponseStream(original, () => meter ??= new AudioMeter(MediaType(context.Response.ContentType)));
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (feature.Arm != Arm.Legacy || feature.Body == RequestBodyState.NotReplayable || feature.UpstreamPathAndQuery is not { } path
            || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        var body = feature.Body == RequestBodyState.Buffered ? await ReadBodyAsync(context.Request, context.RequestAborted) : [];
        var legacy = AnswerFacts.From(context.Response.StatusCode, meter ?? new AudioMeter(MediaType(context.Response.ContentType)));
        shadow.TryMirror(new ShadowRequest(context.Request.Method, path, body, ShadowMirror.CaptureHeaders(context.Request.Headers), legacy));
    }

    private static string? MediaType(string? contentType) =>
        contentType is null ? null : contentType.Split(';', 2)[0].Trim().ToLowerInvariant();

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.Body.Position = 0;
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, cancellationToken);
        return copy.ToArray();
    }
}
