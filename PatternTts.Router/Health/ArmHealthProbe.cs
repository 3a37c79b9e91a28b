using PatternTts.Router.Proxy;

namespace PatternTts.Router.Health;

/// <summary>
/// Probes each arm's <c>/health</c> with a short timeout and caches the answer for a few seconds, so a scrape storm
/// on the router's <c>/health</c> cannot become one on the arms. Retired legacy (phase 3) is not probed at all.
/// </summary>
internal sealed class ArmHealthProbe(
    IHttpClientFactory httpClientFactory,
    ArmAddresses addresses,
    RolloutStateStore store,
    IOptionsMonitor<RolloutOptions> options,
    TimeProvider time,
    ILogger<ArmHealthProbe> logger)
{
    public const string HttpClientName = "arm-health";

    private readonly Lock _gate = new();
    private readonly Dictionary<Arm, (DateTimeOffset At, Task<ArmHealth> Probe)> _cache = [];

    public async Task<ArmHealthSet> CheckAsync(CancellationToken cancellationToken)
    {
        var state = store.Current;
        var legacy = state.LegacyEnabled
            ? GetOrProbe(Arm.Legacy)
            : Task.FromResult(new ArmHealth(ArmHealthStatus.Disabled, addresses.Resolve(Arm.Legacy)?.ToString(), null, null, "phase 3: legacy is retired", null));
        var @new = GetOrProbe(Arm.New);
        await Task.WhenAll(legacy, @new).WaitAsync(cancellationToken);
        return new ArmHealthSet(await legacy, await @new);
    }

    private Task<ArmHealth> GetOrProbe(Arm arm)
    {
        var now = time.GetUtcNow();
        var maxAge = TimeSpan.FromSeconds(Math.Max(0, options.CurrentValue.HealthCacheSeconds));
        lock (_gate)
        {
            // The in-flight task is cached too, so concurrent callers share one probe.
            if (_cache.TryGetValue(arm, out var entry) && now - entry.At < maxAge)
            {
                return entry.Probe;
            }

            var probe = ProbeAsync(arm);
            _cache[arm] = (now, probe);
            return probe;
        }
    }

    private async Task<ArmHealth> ProbeAsync(Arm arm)
    {
        var address = addresses.Resolve(arm);
        if (address is null)
        {
            return new ArmHealth(ArmHealthStatus.Unhealthy, null, null, null, "no destination configured", time.GetUtcNow());
        }

        var started = time.GetTimestamp();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(Math.Max(100, options.CurrentValue.HealthProbeTimeoutMilliseconds)));
        try
        {
            var client = httpClientFactory.CreateClient(HttpClientName);
            using var response = await client.GetAsync(ArmAddresses.Combine(address, "/health"), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var healthy = response.IsSuccessStatusCode;
            return new ArmHealth(healthy ? ArmHealthStatus.Healthy : ArmHealthStatus.Unhealthy, address.ToString(), (int)response.StatusCode,
                time.GetElapsedTime(started).TotalMilliseconds, healthy ? null : $"status {(int)response.StatusCode}", time.GetUtcNow());
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            var cause = ex is OperationCanceledException ? "timed out" : ex.Message;
            RouterLog.ArmProbeFailed(logger, arm, address.ToString(), cause);
            return new ArmHealth(ArmHealthStatus.Unhealthy, address.ToString(), null, time.GetElapsedTime(started).TotalMilliseconds, cause, time.GetUtcNow());
        }
    }
}
