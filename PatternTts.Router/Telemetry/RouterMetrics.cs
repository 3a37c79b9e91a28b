using System.Diagnostics.Metrics;

namespace PatternTts.Router.Telemetry;

/// <summary>The router's own instruments; the Prometheus exporter adds the unit and <c>_total</c> suffixes.</summary>
internal sealed class RouterMetrics
{
    public const string MeterName = "PatternTts.Router";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _timeToFirstByte;
    private readonly Counter<long> _failovers;
    private readonly Counter<long> _capabilityFallbacks;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _fallbacksByCode = new(StringComparer.Ordinal);
    private readonly Counter<long> _rollbacks;
    private readonly Counter<long> _shadowRequests;
    private readonly Histogram<double> _shadowDuration;
    private readonly Counter<long> _shadowComparisons;
    private readonly UpDownCounter<long> _socketsOpen;
    private readonly Counter<long> _sockets;

    public RouterMetrics(IMeterFactory meterFactory, RolloutStateStore store, RolloutStoreHealth storeHealth)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("pattern_router_requests", description: "Requests served, by arm and status class.");
        _duration = meter.CreateHistogram<double>("pattern_router_request_duration", "s", "Time until the response body completed, by arm.");
        _timeToFirstByte = meter.CreateHistogram<double>("pattern_router_time_to_first_byte", "s", "Time until the response started, by arm.");
        _failovers = meter.CreateCounter<long>("pattern_router_failovers", description: "Requests retried on the other arm.");
        _capabilityFallbacks = meter.CreateCounter<long>("pattern_router_capability_fallbacks",
            description: "New-arm answers the new service cannot serve yet, replayed on legacy, by error code.");
        _rollbacks = meter.CreateCounter<long>("pattern_router_rollbacks", description: "Automatic rollbacks after an SLO breach.");
        _shadowRequests = meter.CreateCounter<long>("pattern_router_shadow_requests", description: "Mirrored requests, by result.");
        _shadowDuration = meter.CreateHistogram<double>("pattern_router_shadow_duration", "s", "Latency of mirrored requests on the new arm.");
        _shadowComparisons = meter.CreateCounter<long>("pattern_router_shadow_comparisons",
            description: "Mirrored answers compared with the legacy answer, by result (match, mismatch) and kind of mismatch.");
        _socketsOpen = meter.CreateUpDownCounter<long>("pattern_router_sockets_open", description: "WebSockets open through the router now, by arm.");
        _sockets = meter.CreateCounter<long>("pattern_router_sockets", description: "WebSocket upgrades through the router, by arm and status class (1xx when upgraded, else the refusal).");
        meter.CreateObservableGauge("pattern_router_rollout_percentage", () => store.Current.Percentage, description: "Share of users on the new arm.");
        meter.CreateObservableGauge("pattern_router_rollout_phase", () => (int)store.Current.Phase, description: "Rollout phase (1, 2 or 3).");
        meter.CreateObservableGauge("pattern_router_rollout_rolled_back", () => store.Current.Status == RolloutStatus.RolledBack ? 1 : 0, description: "1 while the rollout is rolled back.");
        meter.CreateObservableGauge("pattern_router_rollout_store_healthy",
            () => new Measurement<int>(store.SharedKind is null || storeHealth.Healthy ? 1 : 0, new KeyValuePair<string, object?>("store", store.SharedKind ?? "local")),
            description: "1 while the shared rollout store answers (always 1 for a router on its own).");
        meter.CreateObservableGauge("pattern_router_rollout_version", () => store.Current.Version, description: "Changes the fleet has made to the rollout.");
        meter.CreateObservableGauge("pattern_router_progression_running",
            () => store.Current.Progression?.Status == ProgressionStatus.Running ? 1 : 0, description: "1 while an automatic progression is running.");
        meter.CreateObservableGauge("pattern_router_progression_step_percentage",
            () => store.Current.Progression?.CurrentStep ?? 0, description: "The percentage of the progression's current step (0 before the first).");
        meter.CreateObservableGauge("pattern_router_progression_interval_seconds",
            () => store.Current.Progression?.IntervalSeconds ?? 0, description: "How long each progression step is watched.");
        meter.CreateObservableGauge("pattern_router_progression_last_decision_timestamp_seconds",
            () => store.Current.Progression?.LastDecision?.At.ToUnixTimeMilliseconds() / 1000.0 ?? 0,
            description: "When the progression last decided (Unix seconds; 0 before its first decision).");
    }

    public void RequestCompleted(Arm arm, int statusCode, TimeSpan duration, TimeSpan? timeToFirstByte)
    {
        var armTag = new KeyValuePair<string, object?>("arm", arm.ClusterId());
        _requests.Add(1, armTag, new KeyValuePair<string, object?>("status_class", StatusClass(statusCode)));
        _duration.Record(duration.TotalSeconds, armTag);
        if (timeToFirstByte is { } ttfb)
        {
            _timeToFirstByte.Record(ttfb.TotalSeconds, armTag);
        }
    }

    public void SocketOpened(Arm arm) => _socketsOpen.Add(1, new KeyValuePair<string, object?>("arm", arm.ClusterId()));

    public void SocketClosed(Arm arm, int statusCode)
    {
        var armTag = new KeyValuePair<string, object?>("arm", arm.ClusterId());
        _socketsOpen.Add(-1, armTag);
        _sockets.Add(1, armTag, new KeyValuePair<string, object?>("status_class", StatusClass(statusCode)));
    }

    public void Failover(Arm from, Arm to) =>
        _failovers.Add(1, new KeyValuePair<string, object?>("from", from.ClusterId()), new KeyValuePair<string, object?>("to", to.ClusterId()));

    public void RolledBack() => _rollbacks.Add(1);

    /// <summary>One count per comparison, tagged with its first kind of mismatch, so rates divide cleanly.</summary>
    public void ShadowCompared(string result, IReadOnlyList<string> kinds) =>
        _shadowComparisons.Add(1, new KeyValuePair<string, object?>("result", result), new KeyValuePair<string, object?>("kind", kinds.Count == 0 ? "none" : kinds[0]));

    public void CapabilityFallback(string code)
    {
        _capabilityFallbacks.Add(1, new KeyValuePair<string, object?>("code", code));
        _fallbacksByCode.AddOrUpdate(code, 1, (_, n) => n + 1);
    }

    /// <summary>This replica's capability fallbacks since it started, by error code, for the admin API.</summary>
    public IReadOnlyDictionary<string, long> CapabilityFallbacks => _fallbacksByCode.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    public void ShadowCompleted(string result, TimeSpan? duration)
    {
        _shadowRequests.Add(1, new KeyValuePair<string, object?>("result", result));
        if (duration is { } d)
        {
            _shadowDuration.Record(d.TotalSeconds);
        }
    }

    private static string StatusClass(int statusCode) => statusCode switch
    {
        >= 500 => "5xx",
        >= 400 => "4xx",
        >= 300 => "3xx",
        >= 200 => "2xx",
        _ => "1xx",
    };
}
