namespace PatternTts.Router.Model;

public sealed record RouterHealthResponse(
    string Status,
    string Service,
    string Version,
    RolloutSummary Rollout,
    ArmHealthSet Arms);

public sealed record RolloutSummary(int Percentage, int Phase, RolloutStatus State);

public sealed record ArmHealthSet(ArmHealth Legacy, ArmHealth New);

/// <summary><c>Status</c> is healthy, unhealthy or disabled (phase 3 legacy, which is not probed).</summary>
public sealed record ArmHealth(
    string Status,
    string? Address,
    int? StatusCode,
    double? LatencyMilliseconds,
    string? Error,
    DateTimeOffset? CheckedAt);
