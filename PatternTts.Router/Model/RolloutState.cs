using System.Text.Json.Serialization;

namespace PatternTts.Router.Model;

[JsonConverter(typeof(JsonStringEnumConverter<RolloutStatus>))]
public enum RolloutStatus
{
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("rolled_back")] RolledBack,
}

/// <summary>One immutable snapshot of the live rollout; replaced whole on every change.</summary>
public sealed record RolloutState(
    int Percentage,
    int Phase,
    RolloutStatus Status,
    string Source,
    DateTimeOffset ChangedAt,
    string? Reason)
{
    /// <summary>Phase 3 retires legacy: no traffic, no failover to it, no health probes.</summary>
    public bool LegacyEnabled => Phase != 3;

    public bool ShadowEnabled => Phase == 1;
}
