using System.Text.Json.Serialization;

namespace PatternTts.Router.Api.Contracts;

public sealed record RouterHealthResponse(
    string Status,
    string Service,
    string Version,
    RolloutSummary Rollout,
    ArmHealthSet Arms,
    RolloutStoreStatus Store);

public sealed record RolloutSummary(int Percentage, RolloutPhase Phase, RolloutStatus State);

public sealed record ArmHealthSet(ArmHealth Legacy, ArmHealth New);

[JsonConverter(typeof(JsonStringEnumConverter<ArmHealthStatus>))]
public enum ArmHealthStatus
{
    [JsonStringEnumMemberName("healthy")] Healthy,
    [JsonStringEnumMemberName("unhealthy")] Unhealthy,

    /// <summary>Legacy in phase 3: retired, so not probed.</summary>
    [JsonStringEnumMemberName("disabled")] Disabled,
}

public sealed record ArmHealth(
    ArmHealthStatus Status,
    string? Address,
    int? StatusCode,
    double? LatencyMilliseconds,
    string? Error,
    DateTimeOffset? CheckedAt);
