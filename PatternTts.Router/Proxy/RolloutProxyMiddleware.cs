using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace PatternTts.Router.Proxy;

/// <summary>Per-request rollout facts shared by the pipeline step, the response transform and the OnStarting callback.</summary>
internal sealed class RolloutRequestFeature(long startedTimestamp)
{
    public long StartedTimestamp { get; } = startedTimestamp;

    public Arm Arm { get; set; }

    /// <summary>Whether a 502/503/504 from the current attempt may be swallowed and retried on the other arm.</summary>
    public bool CanFailover { get; set; }

    public int? SuppressedStatusCode { get; set; }

    /// <summary>The path and query the arm actually received, after route transforms such as the gateway path.</summary>
    public string? UpstreamPathAndQuery { get; set; }

    public TimeSpan? TimeToFirstByte { get; set; }
}

/// <summary>
/// The YARP pipeline step that makes the rollout decision: picks the arm, assigns its cluster, fails over once
/// when the arm answered nothing usable, feeds the SLO monitor and queues shadow traffic.
/// </summary>
internal sealed class RolloutProxyMiddleware(
    RequestDelegate next,
    ArmSelector selector,
    IProxyStateLookup proxyState,
    RolloutStateStore store,
    SloMonitor slo,
    ShadowMirror shadow,
    RouterMetrics metrics,
    IOptionsMonitor<RolloutOptions> options,
    ILogger<RolloutProxyMiddleware> logger)
{
    private enum BodyState
    {
        Replayable,
        NotReplayable,
        TooLarge,
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var feature = new RolloutRequestFeature(Stopwatch.GetTimestamp());
        context.Features.Set(feature);
        // A callback rather than a transform: the header must also be on responses YARP or the router produce
        // themselves when no arm answered, and it must name the arm that finally served after a failover.
        context.Response.OnStarting(OnResponseStarting, context);

        var decision = await selector.SelectAsync(context, cancellationToken);
        feature.Arm = decision.Arm;
        var settings = options.CurrentValue;
        var state = store.Current;

        var body = await BufferBodyAsync(context, settings.MaxReplayBodyBytes, cancellationToken);
        if (body == BodyState.TooLarge)
        {
            await RouterErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
                $"Request bodies are limited to {settings.MaxReplayBodyBytes} bytes.", RouterErrors.InvalidRequest, "request_too_large");
            return;
        }

        var shadowBody = decision.Arm == Arm.Legacy && state.ShadowEnabled && body == BodyState.Replayable && shadow.ShouldSample()
            ? await ReadBodyAsync(context.Request, cancellationToken)
            : null;

        var arm = decision.Arm;
        var canFailover = body == BodyState.Replayable && (arm == Arm.Legacy || state.LegacyEnabled);
        var cause = await ForwardAsync(context, feature, arm, canFailover);
        if (cause is not null && canFailover && !context.Response.HasStarted && !cancellationToken.IsCancellationRequested)
        {
            var other = arm.Other();
            RouterLog.Failover(logger, arm, other, cause);
            metrics.Failover(arm, other);
            context.Response.Clear();
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Request.Body.Position = 0;
            arm = other;
            cause = await ForwardAsync(context, feature, arm, canFailover: false);
        }

        if (cause is not null && feature.SuppressedStatusCode is null && !context.Response.HasStarted)
        {
            await RouterErrors.WriteAsync(context, context.Response.StatusCode is >= 500 and <= 599 ? context.Response.StatusCode : StatusCodes.Status502BadGateway,
                $"The {arm.ClusterId()} TTS arm did not answer ({cause}).", RouterErrors.ServerError, "upstream_unavailable");
        }

        metrics.RequestCompleted(arm, context.Response.StatusCode, Stopwatch.GetElapsedTime(feature.StartedTimestamp), feature.TimeToFirstByte);

        if (shadowBody is not null && arm == Arm.Legacy && feature.UpstreamPathAndQuery is { } path)
        {
            shadow.TryMirror(new ShadowRequest(context.Request.Method, path, shadowBody, ShadowMirror.CaptureHeaders(context.Request.Headers)));
        }
    }

    /// <summary>
    /// Response transform: remembers what the arm was sent and, while a failover is still possible, keeps a
    /// 502/503/504 from being copied to the client so the request can be replayed on the other arm.
    /// </summary>
    public static ValueTask InspectUpstreamResponse(ResponseTransformContext context)
    {
        if (context.HttpContext.Features.Get<RolloutRequestFeature>() is not { } feature || context.ProxyResponse is not { } response)
        {
            return ValueTask.CompletedTask;
        }

        feature.UpstreamPathAndQuery = response.RequestMessage?.RequestUri?.PathAndQuery;
        if (feature.CanFailover && (int)response.StatusCode is 502 or 503 or 504)
        {
            feature.SuppressedStatusCode = (int)response.StatusCode;
            context.SuppressResponseBody = true;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Runs YARP's remaining steps against one arm; returns why it failed before responding, or null.</summary>
    private async Task<string?> ForwardAsync(HttpContext context, RolloutRequestFeature feature, Arm arm, bool canFailover)
    {
        feature.Arm = arm;
        feature.CanFailover = canFailover;
        feature.SuppressedStatusCode = null;
        if (!proxyState.TryGetCluster(arm.ClusterId(), out ClusterState? cluster))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return "no cluster is configured";
        }

        context.ReassignProxyRequest(cluster);
        var started = Stopwatch.GetTimestamp();
        await next(context);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var error = context.Features.Get<IForwarderErrorFeature>();
        if (error is { Error: ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled }
            || context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up; that says nothing about the arm.
            return null;
        }

        var success = error is null && feature.SuppressedStatusCode is null && context.Response.StatusCode < 500;
        slo.Record(arm, success, elapsed, feature.TimeToFirstByte);

        if (feature.SuppressedStatusCode is { } suppressed)
        {
            return $"status {suppressed}";
        }

        if (error is null || context.Response.HasStarted)
        {
            return null;
        }

        return error.Error switch
        {
            ForwarderError.Request => "the connection or request failed",
            ForwarderError.RequestTimedOut => "the request timed out",
            ForwarderError.NoAvailableDestinations => "no destination is available",
            _ => null,
        };
    }

    private static async Task<BodyState> BufferBodyAsync(HttpContext context, int maxBytes, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var canHaveBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0;
        if (!canHaveBody)
        {
            return BodyState.Replayable;
        }

        if (request.ContentLength > maxBytes)
        {
            // Too big to hold for a replay: stream it through and give up failover for this request.
            return BodyState.NotReplayable;
        }

        request.EnableBuffering(bufferThreshold: Math.Min(maxBytes, 64 * 1024), bufferLimit: maxBytes);
        try
        {
            await request.Body.DrainAsync(cancellationToken);
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            // A chunked body ran past the limit; what was read cannot be forwarded any more.
            return BodyState.TooLarge;
        }

        request.Body.Position = 0;
        return BodyState.Replayable;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, cancellationToken);
        request.Body.Position = 0;
        return copy.ToArray();
    }

    private static Task OnResponseStarting(object state)
    {
        var context = (HttpContext)state;
        if (context.Features.Get<RolloutRequestFeature>() is { } feature)
        {
            context.Response.Headers[Arms.HeaderName] = feature.Arm.ClusterId();
            feature.TimeToFirstByte = Stopwatch.GetElapsedTime(feature.StartedTimestamp);
        }

        return Task.CompletedTask;
    }
}
