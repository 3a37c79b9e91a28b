using System.Text.Json.Serialization;

namespace PatternTts.Router.Rollout;

[JsonConverter(typeof(JsonStringEnumConverter<RolloutStatus>))]
public enum RolloutStatus
{
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("rolled_back")] RolledBack,
}

/// <summary>The migration's phases; the API and the rollout file carry them as their numbers.</summary>
[JsonConverter(typeof(JsonNumberEnumConverter<RolloutPhase>))]
public enum RolloutPhase
{
    /// <summary>Phase 1: legacy serves everyone; the new service gets shadow copies.</summary>
    Shadow = 1,

    /// <summary>Phase 2: the A/B split at the rollout percentage.</summary>
    Split = 2,

    /// <summary>Phase 3: the new service serves everyone; legacy is retired.</summary>
    NewOnly = 3,
}

public static class RolloutPhases
{
    /// <summary>The phase for a number from the API or the rollout file, or false when it is not 1, 2 or 3.</summary>
    public static bool TryParse(int value, out RolloutPhase phase)
    {
        phase = (RolloutPhase)value;
        return Enum.IsDefined(phase);
    }
}

/// <summary>One immutable snapshot of the live rollout; replaced whole on every change.</summary>
public sealed record RolloutState(
    int Percentage,
    RolloutPhase Phase,
    RolloutStatus Status,
    string Source,
    DateTimeOffset ChangedAt,
    string? Reason)
{
    /// <summary>Counts the changes the fleet has made; a replica adopts a shared state only when it is newer.</summary>
    public long Version { get; init; }

    /// <summary>The router replica that made the change (host name and process id).</summary>
    public string? Replica { get; init; }

    /// <summary>The automatic progression, when one was started; it ends with any change it did not make.</summary>
    public ProgressionState? Progression { get; init; }

    /// <summary>Phase 3 retires legacy: no traffic, no failover to it, no health probes.</summary>
    public bool LegacyEnabled => Phase != RolloutPhase.NewOnly;

    public bool ShadowEnabled => Phase == RolloutPhase.Shadow;
}
