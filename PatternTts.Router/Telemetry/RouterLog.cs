namespace PatternTts.Router.Telemetry;

internal static partial class RouterLog
{
    [LoggerMessage(EventId = 1, EventName = "RolloutChanged", Level = LogLevel.Warning,
        Message = "Rollout changed by {Source} on {Replica}: {OldPercentage}% phase {OldPhase} {OldStatus} -> {NewPercentage}% phase {NewPhase} {NewStatus} (version {Version})")]
    public static partial void RolloutChanged(ILogger logger, string source, string replica, int oldPercentage, RolloutPhase oldPhase, RolloutStatus oldStatus,
        int newPercentage, RolloutPhase newPhase, RolloutStatus newStatus, long version);

    [LoggerMessage(EventId = 20, EventName = "SharedWriteFailed", Level = LogLevel.Warning,
        Message = "Could not write the {Change} to the shared rollout store; it stays on this replica until the store answers: {Reason}")]
    public static partial void SharedWriteFailed(ILogger logger, string change, string reason);

    [LoggerMessage(EventId = 21, EventName = "StoreDegraded", Level = LogLevel.Error,
        Message = "The shared rollout store ({Kind}) is unreachable; routing continues with the last state (version {Version}): {Reason}")]
    public static partial void StoreDegraded(ILogger logger, string kind, long version, string reason);

    [LoggerMessage(EventId = 22, EventName = "StoreRecovered", Level = LogLevel.Warning,
        Message = "The shared rollout store ({Kind}) answers again; this replica holds version {Version}")]
    public static partial void StoreRecovered(ILogger logger, string kind, long version);

    [LoggerMessage(EventId = 24, EventName = "CapabilityFallback", Level = LogLevel.Information,
        Message = "The new arm cannot serve this request yet ({Code}); replaying it on legacy")]
    public static partial void CapabilityFallback(ILogger logger, string code);

    [LoggerMessage(EventId = 25, EventName = "ProgressionDecided", Level = LogLevel.Warning,
        Message = "Progression: {Outcome} (gate {Gate}): {Reason}; rollout now {Percentage}%")]
    public static partial void ProgressionDecided(ILogger logger, string outcome, string gate, string reason, int percentage);

    [LoggerMessage(EventId = 26, EventName = "ProgressionTickFailed", Level = LogLevel.Warning,
        Message = "Progression could not be evaluated this time: {Reason}")]
    public static partial void ProgressionTickFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 23, EventName = "StoreMode", Level = LogLevel.Information,
        Message = "Rollout state: {Mode}")]
    public static partial void StoreMode(ILogger logger, string mode);

    [LoggerMessage(EventId = 2, EventName = "RolledBack", Level = LogLevel.Error,
        Message = "New arm breached its SLO, rollout set to 0%: {Reason}")]
    public static partial void RolledBack(ILogger logger, string reason);

    [LoggerMessage(EventId = 3, EventName = "Failover", Level = LogLevel.Warning,
        Message = "Arm {From} failed ({Cause}) before responding; retrying once on {To}")]
    public static partial void Failover(ILogger logger, Arm from, Arm to, string cause);

    [LoggerMessage(EventId = 4, EventName = "InvalidRolloutSetting", Level = LogLevel.Warning,
        Message = "Ignoring Rollout:{Key} = {Value}: {Expected}")]
    public static partial void InvalidRolloutSetting(ILogger logger, string key, int value, string expected);

    [LoggerMessage(EventId = 5, EventName = "ShadowFailed", Level = LogLevel.Debug,
        Message = "Shadow request to the new arm failed: {Cause}")]
    public static partial void ShadowFailed(ILogger logger, string cause);

    [LoggerMessage(EventId = 6, EventName = "AdminRejected", Level = LogLevel.Warning,
        Message = "Rejected admin request {Method} {Path}: {Reason}")]
    public static partial void AdminRejected(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 7, EventName = "ArmProbeFailed", Level = LogLevel.Debug,
        Message = "Health probe of arm {Arm} at {Address} failed: {Cause}")]
    public static partial void ArmProbeFailed(ILogger logger, Arm arm, string? address, string cause);
}
