namespace PatternTts.Router.Rollout;

/// <summary>
/// Every change a rollout can make, as a function of the state it starts from. The same functions run on the local
/// state and inside the shared store's compare-and-set, so a change made on any replica means the same thing.
/// </summary>
internal static class RolloutTransitions
{
    public static RolloutState Percentage(RolloutState current, int percentage, string source, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percentage);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentage, 100);

        // A percentage is an A/B setting, so leaving the endpoints of the scale moves the phase to 2.
        var phase = current.Phase switch
        {
            RolloutPhase.Shadow when percentage > 0 => RolloutPhase.Split,
            RolloutPhase.NewOnly when percentage < 100 => RolloutPhase.Split,
            var p => p,
        };
        return Preset(phase, percentage, RolloutStatus.Active, source, null, now) with { Progression = Ended(current, ProgressionStatus.Aborted, now) };
    }

    public static RolloutState Phase(RolloutState current, RolloutPhase phase, int? percentage, string source, DateTimeOffset now)
    {
        if (!Enum.IsDefined(phase))
        {
            throw new ArgumentOutOfRangeException(nameof(phase), phase, "Phase must be 1, 2 or 3.");
        }

        return Preset(phase, percentage ?? current.Percentage, RolloutStatus.Active, source, null, now)
            with { Progression = Ended(current, ProgressionStatus.Aborted, now) };
    }

    /// <summary>0% and rolled back; null when it already was, so two replicas tripping at once make one change.</summary>
    public static RolloutState? Rollback(RolloutState current, string source, string reason, DateTimeOffset now)
    {
        if (current.Status == RolloutStatus.RolledBack)
        {
            return null;
        }

        // Legacy must take the traffic back, so phase 3 (legacy retired) falls back to phase 2.
        var phase = current.Phase == RolloutPhase.NewOnly ? RolloutPhase.Split : current.Phase;
        return new RolloutState(0, phase, RolloutStatus.RolledBack, source, now, reason)
            { Progression = Ended(current, ProgressionStatus.RolledBack, now) };
    }

    /// <summary>
    /// Starts a progression: from phase 1 it first waits for the shadow gate; otherwise it sets the first step now.
    /// </summary>
    public static RolloutState StartProgression(RolloutState current, IReadOnlyList<int> steps, double intervalSeconds, int minSamples, string source, DateTimeOffset now)
    {
        var shadowFirst = current.Phase == RolloutPhase.Shadow;
        var progression = new ProgressionState(ProgressionStatus.Running, steps, shadowFirst ? -1 : 0, intervalSeconds, minSamples,
            now + TimeSpan.FromSeconds(intervalSeconds), null, shadowFirst ? [] : [steps[0]], null);
        return shadowFirst
            ? current with { Source = source, ChangedAt = now, Progression = progression }
            : Preset(RolloutPhase.Split, steps[0], RolloutStatus.Active, source, null, now) with { Progression = progression };
    }

    /// <summary>Pauses, resumes or aborts a live progression; null when there is none to change.</summary>
    public static RolloutState? ControlProgression(RolloutState current, ProgressionStatus status, DateTimeOffset now)
    {
        if (current.Progression is not { IsLive: true } progression)
        {
            return null;
        }

        var next = progression with
        {
            Status = status,
            NextEvaluationAt = status == ProgressionStatus.Running ? now + TimeSpan.FromSeconds(progression.IntervalSeconds) : progression.NextEvaluationAt,
        };
        return current with { Progression = next };
    }

    /// <summary>
    /// Applies one evaluation, unless the progression moved on since it was read (another replica decided, an
    /// operator stepped in): then null, so no step is ever skipped or repeated.
    /// </summary>
    public static RolloutState? Decide(RolloutState current, ProgressionState evaluated, ProgressionDecision decision, string driver, DateTimeOffset now)
    {
        if (current.Progression is not { Status: ProgressionStatus.Running } progression
            || progression.StepIndex != evaluated.StepIndex || progression.NextEvaluationAt != evaluated.NextEvaluationAt)
        {
            return null;
        }

        var next = progression with
        {
            LastDecision = decision,
            Driver = driver,
            NextEvaluationAt = now + TimeSpan.FromSeconds(progression.IntervalSeconds),
        };
        switch (decision.Outcome)
        {
            case "advance":
                var index = progression.StepIndex + 1;
                var step = progression.Steps[index];
                return Preset(RolloutPhase.Split, step, RolloutStatus.Active, "progression", null, now)
                    with { Progression = next with { StepIndex = index, Applied = [.. progression.Applied, step] } };
            case "complete":
                return current with { Progression = next with { Status = ProgressionStatus.Completed } };
            case "rollback":
                // A progression started in phase 1 after a rollback runs on a rolled-back state; the gate's reason
                // replaces the old one there.
                var reason = $"progression gate {decision.Gate}: {decision.Reason}";
                var rolledBack = Rollback(current, "progression", reason, now)
                    ?? current with { Source = "progression", ChangedAt = now, Reason = reason };
                return rolledBack with { Progression = next with { Status = ProgressionStatus.RolledBack } };
            default:
                return current with { Progression = next };
        }
    }

    // A change the progression did not make ends it: an operator's hand (aborted) or a rollback (rolled_back).
    private static ProgressionState? Ended(RolloutState current, ProgressionStatus status, DateTimeOffset now) =>
        current.Progression is { IsLive: true } live ? live with { Status = status, NextEvaluationAt = now } : current.Progression;

    public static RolloutState Preset(RolloutPhase phase, int percentage, RolloutStatus status, string source, string? reason, DateTimeOffset now) =>
        new(phase switch { RolloutPhase.Shadow => 0, RolloutPhase.NewOnly => 100, _ => percentage }, phase, status, source, now, reason);
}
