using System.Globalization;

namespace PatternTts.Router.Rollout;

/// <summary>
/// Keeps a rolling window per arm and rolls the rollout back to 0% when the new arm breaches the SLO. Both arms are
/// judged over the same span, the window since the last rollout change, so an operator raising the percentage after
/// a rollback starts from a clean slate, and the latency gate compares time to first byte, which a long stream does
/// not inflate. Callers record only live traffic the router chose the arm for (never forced or shadow requests).
/// </summary>
/// <remarks>
/// With a shared store the windows hold the fleet's samples: this replica's are queued for <see cref="SloShareSync"/>,
/// which pushes them and reads every replica's back twice a second, then judges the combined window.
/// </remarks>
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
    private readonly SloOutbox _outbox = new();

    public void Record(Arm arm, bool success, TimeSpan latency, TimeSpan? timeToFirstByte)
    {
        var rollback = options.CurrentValue.Rollback;
        var sample = new Sample(time.GetUtcNow(), success, latency.TotalMilliseconds, timeToFirstByte?.TotalMilliseconds);
        (arm == Arm.New ? _new : _legacy).Add(sample, rollback.MaxSamples);
        if (store.SharedKind is not null)
        {
            _outbox.Add(arm, sample, Math.Max(1, rollback.MaxSamples));
        }

        if (arm == Arm.New)
        {
            Evaluate(rollback);
        }
    }

    public List<Sample> TakeOutbox(Arm arm) => _outbox.Take(arm);

    public void ReturnToOutbox(Arm arm, IEnumerable<Sample> samples, int max)
    {
        foreach (var sample in samples)
        {
            _outbox.Add(arm, sample, max);
        }
    }

    /// <summary>Replaces the windows with the fleet's samples and judges them.</summary>
    public void AdoptFleetWindows(IReadOnlyList<Sample> legacy, IReadOnlyList<Sample> candidate)
    {
        _legacy.ReplaceWith(legacy);
        _new.ReplaceWith(candidate);
        Evaluate(options.CurrentValue.Rollback);
    }

    public void RecordShadow(bool success, TimeSpan latency) =>
        _shadow.Add(new Sample(time.GetUtcNow(), success, latency.TotalMilliseconds, null), options.CurrentValue.Rollback.MaxSamples);

    public ArmWindows Summarize()
    {
        var since = JudgedSince(options.CurrentValue.Rollback);
        return new ArmWindows(_legacy.Summarize(since), _new.Summarize(since));
    }

    public WindowSummary SummarizeShadow() => _shadow.Summarize(WindowStart(options.CurrentValue.Rollback));

    private void Evaluate(RollbackOptions rollback)
    {
        var state = store.Current;
        if (!rollback.Enabled || state.Status == RolloutStatus.RolledBack || state.Percentage == 0)
        {
            return;
        }

        var since = JudgedSince(rollback);
        var candidate = _new.Summarize(since);
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
            if (candidate.TtfbSamples >= minSamples && baseline.TtfbSamples >= minSamples
                && candidate.TtfbP95Milliseconds > rollback.MaxP95Ratio * baseline.TtfbP95Milliseconds
                && candidate.TtfbP95Milliseconds - baseline.TtfbP95Milliseconds > rollback.MinP95DifferenceMilliseconds)
            {
                reason = string.Create(CultureInfo.InvariantCulture,
                    $"time to first byte p95 {candidate.TtfbP95Milliseconds:F1} ms over {candidate.TtfbSamples} requests > {rollback.MaxP95Ratio} x legacy's {baseline.TtfbP95Milliseconds:F1} ms over {baseline.TtfbSamples} requests, both since {since:O}");
            }
        }

        if (reason is not null && store.TryRollback(RolloutStateStore.SloSource, reason))
        {
            metrics.RolledBack();
            RouterLog.RolledBack(logger, reason);
        }
    }

    /// <summary>The start of the span both arms are judged over: the rolling window, cut at the last rollout change.</summary>
    private DateTimeOffset JudgedSince(RollbackOptions rollback) => Max(WindowStart(rollback), store.Current.ChangedAt);

    private DateTimeOffset WindowStart(RollbackOptions rollback) =>
        time.GetUtcNow() - TimeSpan.FromSeconds(Math.Max(1, rollback.WindowSeconds));

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
