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
        return Preset(phase, percentage, RolloutStatus.Active, source, null, now);
    }

    public static RolloutState Phase(RolloutState current, RolloutPhase phase, int? percentage, string source, DateTimeOffset now)
    {
        if (!Enum.IsDefined(phase))
        {
            throw new ArgumentOutOfRangeException(nameof(phase), phase, "Phase must be 1, 2 or 3.");
        }

        return Preset(phase, percentage ?? current.Percentage, RolloutStatus.Active, source, null, now);
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
        return new RolloutState(0, phase, RolloutStatus.RolledBack, source, now, reason);
    }

    public static RolloutState Preset(RolloutPhase phase, int percentage, RolloutStatus status, string source, string? reason, DateTimeOffset now) =>
        new(phase switch { RolloutPhase.Shadow => 0, RolloutPhase.NewOnly => 100, _ => percentage }, phase, status, source, now, reason);
}
