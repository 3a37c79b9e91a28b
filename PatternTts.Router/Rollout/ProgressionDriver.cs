using System.Globalization;
using PatternTts.Router.Proxy;
using StackExchange.Redis;

namespace PatternTts.Router.Rollout;

/// <summary>Which replica drives the progression: exactly one at a time, handed over when it stops renewing.</summary>
internal interface IProgressionLease
{
    Task<bool> TryHoldAsync(string holder, TimeSpan ttl, CancellationToken cancellationToken);
}

/// <summary>A router on its own always drives.</summary>
internal sealed class LocalProgressionLease : IProgressionLease
{
    public Task<bool> TryHoldAsync(string holder, TimeSpan ttl, CancellationToken cancellationToken) => Task.FromResult(true);
}

/// <summary>A Redis key the driver renews; a replica that dies lets it expire and another takes it.</summary>
internal sealed class RedisProgressionLease(IConnectionMultiplexer redis) : IProgressionLease
{
    public const string Key = "pattern-tts:rollout:progression-lease";

    // KEYS[1] lease; ARGV[1] holder; ARGV[2] ttl ms. 1 when the caller holds it afterwards.
    private const string HoldScript = """
        local holder = redis.call('GET', KEYS[1])
        if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
        if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
        return 0
        """;

    public async Task<bool> TryHoldAsync(string holder, TimeSpan ttl, CancellationToken cancellationToken) =>
        (int)await redis.GetDatabase().ScriptEvaluateAsync(HoldScript, [Key], [holder, (long)ttl.TotalMilliseconds]).WaitAsync(cancellationToken) == 1;
}

/// <summary>
/// Drives a running progression, as Flagger drives a canary: after each interval the gates are judged on the
/// evidence since the step began (success rate, p95 latency and p95 time to first byte against legacy's, and in
/// phase 1 the shadow mismatch rate). All hold: the next step. One fails: back to 0% with that gate as the reason.
/// Too few samples: wait another interval. Only the replica holding the lease decides, and each decision is a
/// compare-and-set on the step it read, so a handover neither skips nor repeats a step.
/// </summary>
internal sealed class ProgressionDriver(
    RolloutStateStore store,
    SloMonitor slo,
    ShadowComparison shadow,
    IProgressionLease lease,
    RouterReplica replica,
    IOptionsMonitor<RolloutOptions> options,
    TimeProvider time,
    ILogger<ProgressionDriver> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var settings = options.CurrentValue.Progression;
            try
            {
                await TickAsync(settings, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                RouterLog.ProgressionTickFailed(logger, e.Message);
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Clamp(settings.TickSeconds, 0.05, 10)), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task TickAsync(ProgressionOptions settings, CancellationToken cancellationToken)
    {
        var state = store.Current;
        if (state.Progression is not { Status: ProgressionStatus.Running } progression
            || !await lease.TryHoldAsync(replica.Name, TimeSpan.FromSeconds(Math.Max(0.5, settings.LeaseSeconds)), cancellationToken)
            || time.GetUtcNow() < progression.NextEvaluationAt)
        {
            return;
        }

        var decision = Evaluate(state, progression, settings);
        var committed = await store.ChangeAsync(s => RolloutTransitions.Decide(s, progression, decision, replica.Name, time.GetUtcNow()), cancellationToken);
        if (committed.Progression?.LastDecision == decision)
        {
            RouterLog.ProgressionDecided(logger, decision.Outcome, decision.Gate ?? "-", decision.Reason, committed.Percentage);
        }
    }

    private ProgressionDecision Evaluate(RolloutState state, ProgressionState progression, ProgressionOptions gates)
    {
        var now = time.GetUtcNow();
        var windows = slo.Summarize();
        var comparison = shadow.Status();
        ProgressionDecision Decision(string outcome, string? gate, string reason) =>
            new(now, outcome, gate, reason, windows.New, windows.Legacy, comparison.MismatchRate, comparison.Compared);

        if (progression.StepIndex < 0)
        {
            // Phase 1 ends on evidence that the new service answers like legacy.
            if (comparison.Compared < gates.MinShadowCompared)
            {
                return Decision("wait", "min_samples", F($"{comparison.Compared} shadow answers compared, {gates.MinShadowCompared} needed"));
            }

            return comparison.MismatchRate > gates.MaxShadowMismatchRate
                ? Decision("rollback", "shadow_mismatch", F($"shadow mismatch rate {comparison.MismatchRate:P1} > {gates.MaxShadowMismatchRate:P1} over {comparison.Compared} answers"))
                : Decision("advance", null, F($"shadow mismatch rate {comparison.MismatchRate:P1} over {comparison.Compared} answers; to {progression.Steps[0]}%"));
        }

        var candidate = windows.New;
        var baseline = windows.Legacy;
        if (candidate.Samples < progression.MinSamples)
        {
            return Decision("wait", "min_samples", F($"{candidate.Samples} new-arm requests at {state.Percentage}%, {progression.MinSamples} needed"));
        }

        if (candidate.SuccessRate < gates.MinSuccessRate)
        {
            return Decision("rollback", "success_rate", F($"success rate {candidate.SuccessRate:P2} < {gates.MinSuccessRate:P2} over {candidate.Samples} requests"));
        }

        // Legacy's figures are the baseline; at 100% it has none, and the latency gates have nothing to compare.
        var comparable = baseline.Samples >= progression.MinSamples;
        if (comparable && candidate.P95Milliseconds > gates.MaxLatencyRatio * baseline.P95Milliseconds
            && candidate.P95Milliseconds - baseline.P95Milliseconds > gates.MinDifferenceMilliseconds)
        {
            return Decision("rollback", "latency_p95", F($"p95 {candidate.P95Milliseconds:F1} ms > {gates.MaxLatencyRatio} x legacy's {baseline.P95Milliseconds:F1} ms"));
        }

        if (comparable && baseline.TtfbSamples >= progression.MinSamples && candidate.TtfbP95Milliseconds > gates.MaxLatencyRatio * baseline.TtfbP95Milliseconds
            && candidate.TtfbP95Milliseconds - baseline.TtfbP95Milliseconds > gates.MinDifferenceMilliseconds)
        {
            return Decision("rollback", "ttfb_p95", F($"time to first byte p95 {candidate.TtfbP95Milliseconds:F1} ms > {gates.MaxLatencyRatio} x legacy's {baseline.TtfbP95Milliseconds:F1} ms"));
        }

        var held = F($"success {candidate.SuccessRate:P2}, p95 {candidate.P95Milliseconds:F1} ms (legacy {baseline.P95Milliseconds:F1} ms) over {candidate.Samples} requests");
        return progression.StepIndex == progression.Steps.Count - 1
            ? Decision("complete", null, held)
            : Decision("advance", null, $"{held}; to {progression.Steps[progression.StepIndex + 1]}%");
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
