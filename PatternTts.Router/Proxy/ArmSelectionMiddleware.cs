namespace PatternTts.Router.Proxy;

/// <summary>
/// The first rollout step: chooses the arm, names it on the response, and records the request's outcome once
/// everything after it (failover included) is done.
/// </summary>
internal sealed class ArmSelectionMiddleware(RequestDelegate next, ArmSelector selector, RouterMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var decision = await selector.SelectAsync(context, context.RequestAborted);
        var feature = new RolloutRequestFeature(started, decision);
        context.Features.Set(feature);
        // A callback rather than a transform: the header must also be on responses YARP or the router produce
        // themselves when no arm answered, and it must name the arm that finally served after a failover.
        context.Response.OnStarting(OnResponseStarting, context);

        if (IsWebSocket(context))
        {
            // A socket lives for minutes on the arm it was upgraded to: counted as a socket, not timed as a request.
            metrics.SocketOpened(feature.Arm);
            try
            {
                await next(context);
            }
            finally
            {
                metrics.SocketClosed(feature.Arm, context.Response.StatusCode);
            }

            return;
        }

        await next(context);

        metrics.RequestCompleted(feature.Arm, context.Response.StatusCode, Stopwatch.GetElapsedTime(started), feature.TimeToFirstByte);
    }

    private static bool IsWebSocket(HttpContext context) =>
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpUpgradeFeature>()?.IsUpgradableRequest == true
        && string.Equals(context.Request.Headers.Upgrade.ToString(), "websocket", StringComparison.OrdinalIgnoreCase);

    private static Task OnResponseStarting(object state)
    {
        var context = (HttpContext)state;
        var feature = context.GetRolloutFeature();
        context.Response.Headers[Arms.HeaderName] = feature.Arm.ClusterId();
        feature.ResponseStarted();
        return Task.CompletedTask;
    }
}
