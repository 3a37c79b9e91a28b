using System.Globalization;

namespace PatternTts.Router.Rollout;

/// <summary>
/// Keeps a rolling window per arm and rolls the rollout back to 0% when the new arm breaches the SLO. Only samples
/// taken since the last rollout change count against the new arm, so an operator raising the percentage after a
/// rollback starts from a clean slate instead of tripping on the failures that caused it.
/// </summary>
internal sealed class SloMonitor(
    RolloutStateStore store,
    IOptionsMonitor<RolloutOptions> options,
    RouterMetrics metrics,
    TimeProvider time,
    ILogger<SloMonitor> logger)
{
    private readonly RollingWindow _legacy = new();
    private readonly RollingWindow _new = new();
    private readonly RollingWindow _shadow = new();

    public void Record(Arm arm, bool success, TimeSpan latency, TimeSpan? timeToFirstByte)
    {
        var rollback = options.CurrentValue.Rollback;
        var sample = new Sample(time.GetUtcNow(), success, latency.TotalMilliseconds, timeToFirstByte?.TotalMilliseconds);
        (arm == Arm.New ? _new : _legacy).Add(sample, rollback.MaxSamples);
        if (arm == Arm.New)
        {
            Evaluate(rollback);
        }
    }

    public void RecordShadow(bool success, TimeSpan latency) =>
        _shadow.Add(new Sample(time.GetUtcNow(), success, latency.TotalMilliseconds, null), options.CurrentValue.Rollback.MaxSamples);

    public ArmWindows Summarize()
    {
        var since = WindowStart(options.CurrentValue.Rollback);
        var state = store.Current;
        return new ArmWindows(_legacy.Summarize(since), _new.Summarize(Max(since, state.ChangedAt)));
    }

    public WindowSummary SummarizeShadow() => _shadow.Summarize(WindowStart(options.CurrentValue.Rollback));

    private void Evaluate(RollbackOptions rollback)
    {
        var state = store.Current;
        if (!rollback.Enabled || state.Status == RolloutStatus.RolledBack || state.Percentage == 0)
        {
            return;
        }

        var since = WindowStart(rollback);
        var candidate = _new.Summarize(Max(since, state.ChangedAt));
        var minSamples = Math.Max(1, rollback.MinSamples);
        if (candidate.Samples < minSamples)
        {
            return;
        }

        string? reason = null;
        if (candidate.SuccessRate < rollback.MinSuccessRate)
        {
            reason = string.Create(CultureInfo.InvariantCulture,
                $"success rate {candidate.SuccessRate:P2} < {rollback.MinSuccessRate:P2} over {candidate.Samples} requests");
        }
        else
        {
            var baseline = _legacy.Summarize(since);
            if (baseline.Samples >= minSamples
                && candidate.P95Milliseconds > rollback.MaxP95Ratio * baseline.P95Milliseconds
                && candidate.P95Milliseconds - baseline.P95Milliseconds > rollback.MinP95DifferenceMilliseconds)
            {
                reason = string.Create(CultureInfo.InvariantCulture,
                    $"p95 {candidate.P95Milliseconds:F1} ms > {rollback.MaxP95Ratio} x legacy p95 {baseline.P95Milliseconds:F1} ms");
            }
        }

        if (reason is not null && store.TryRollback(RolloutStateStore.SloSource, reason))
        {
            metrics.RolledBack();
            RouterLog.RolledBack(logger, reason);
        }
    }

    private DateTimeOffset WindowStart(RollbackOptions rollback) =>
        time.GetUtcNow() - TimeSpan.FromSeconds(Math.Max(1, rollback.WindowSeconds));

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
