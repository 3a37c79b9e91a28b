using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace PatternTts.Router.Proxy;

/// <summary>
/// Sends the request to its arm and, when that arm answered nothing usable (no connection, a timeout, or
/// 502/503/504 before any byte), once more to the other arm, replaying the buffered body. Each attempt's outcome
/// feeds the SLO monitor; when no arm answered, the client gets a 502 in OpenAI's error shape.
/// </summary>
internal sealed class ArmFailoverMiddleware(
    RequestDelegate next,
    IProxyStateLookup proxyState,
    RolloutStateStore store,
    SloMonitor slo,
    RouterMetrics metrics,
    IOptionsMonitor<RolloutOptions> options,
    ILogger<ArmFailoverMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var feature = context.GetRolloutFeature();
        var maxBytes = options.CurrentValue.MaxReplayBodyBytes;

        RequestBodyState body;
        try
        {
            body = await BufferBodyAsync(context, maxBytes, cancellationToken);
        }
        catch (BadHttpRequestException e)
        {
            await RouterErrors.WriteAsync(context, StatusCodes.Status400BadRequest,
                $"The request body could not be read: {e.Message}", RouterErrors.InvalidRequest, "invalid_request_body");
            return;
        }

        feature.BodyRead(body);
        var arm = feature.Decision.Arm;
        var canFailover = body != RequestBodyState.NotReplayable && feature.Decision.CanFailover && (arm == Arm.Legacy || store.Current.LegacyEnabled);
        var cause = await ForwardAsync(context, feature, arm, canFailover);
        if (cause is not null && canFailover && !context.Response.HasStarted && !cancellationToken.IsCancellationRequested)
        {
            var other = arm.Other();
            if (feature.CapabilityFallbackCode is { } code)
            {
                // Not the arm failing: the new service cannot serve this request yet, and says so.
                RouterLog.CapabilityFallback(logger, code);
                metrics.CapabilityFallback(code);
            }
            else
            {
                RouterLog.Failover(logger, arm, other, cause);
                metrics.Failover(arm, other);
            }

            context.Response.Clear();
            context.Features.Set<IForwarderErrorFeature>(null);
            if (body == RequestBodyState.Buffered)
            {
                context.Request.Body.Position = 0;
            }

            arm = other;
            cause = await ForwardAsync(context, feature, arm, canFailover: false);
        }

        if (cause is not null && feature.SuppressedStatusCode is null && !context.Response.HasStarted)
        {
            await RouterErrors.WriteAsync(context, context.Response.StatusCode is >= 500 and <= 599 ? context.Response.StatusCode : StatusCodes.Status502BadGateway,
                $"The {arm.ClusterId()} TTS arm did not answer ({cause}).", RouterErrors.ServerError, "upstream_unavailable");
        }
    }

    /// <summary>Runs YARP's remaining steps against one arm; returns why it failed before responding, or null.</summary>
    private async Task<string?> ForwardAsync(HttpContext context, RolloutRequestFeature feature, Arm arm, bool canFailover)
    {
        feature.BeginAttempt(arm, canFailover);
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

        // A forced arm is the client's choice, not the rollout's: counting it would let a client aim failures at an
        // arm and trip the rollback.
        if (feature.Decision.CountsForSlo && feature.CapabilityFallbackCode is null)
        {
            var success = error is null && feature.SuppressedStatusCode is null && context.Response.StatusCode < 500;
            slo.Record(arm, success, elapsed, feature.TimeToFirstByte);
        }

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

    /// <summary>
    /// Holds a body of up to <paramref name="maxBytes"/> for a replay. A larger one, announced or chunked alike, is
    /// streamed through as it comes (what was read first is sent first) and gives up failover for this request.
    /// </summary>
    private static async Task<RequestBodyState> BufferBodyAsync(HttpContext context, int maxBytes, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var canHaveBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0;
        if (!canHaveBody)
        {
            return RequestBodyState.None;
        }

        if (request.ContentLength > maxBytes)
        {
            return RequestBodyState.NotReplayable;
        }

        // One byte past the limit tells a body that fits from one that does not.
        var wanted = (long)maxBytes + 1;
        var held = new MemoryStream();
        var buffer = new byte[(int)Math.Min(wanted, 64 * 1024)];
        while (held.Length < wanted)
        {
            var read = await request.Body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, wanted - held.Length)), cancellationToken);
            if (read == 0)
            {
                held.Position = 0;
                request.Body = held;
                return RequestBodyState.Buffered;
            }

            held.Write(buffer, 0, read);
        }

        request.Body = new PrefixedStream(held.ToArray(), request.Body);
        return RequestBodyState.NotReplayable;
    }
}
