namespace PatternTts.Router.Api.Contracts;

public sealed record SetPercentageRequest(int? Percentage);

public sealed record SetPhaseRequest(int? Phase, int? Percentage);

public sealed record RolloutStatusResponse(
    int Percentage,
    RolloutPhase Phase,
    RolloutStatus State,
    string FeatureName,
    string Source,
    DateTimeOffset ChangedAt,
    string? Reason,
    bool AllowForcedArm,
    ShadowStatus Shadow,
    ArmWindows Arms,
    RollbackOptions Rollback,
    RolloutStoreStatus Store,
    IReadOnlyDictionary<string, long> CapabilityFallbacks,
    ProgressionState? Progression);

/// <summary>
/// <c>POST /admin/rollout/progression</c> <c>{"steps":[…],"interval_seconds":…,"min_samples":…}</c>; what is left out
/// comes from <c>Rollout:Progression</c>. Snake case, as OpenAI's APIs are.
/// </summary>
public sealed record StartProgressionRequest(
    int[]? Steps,
    [property: System.Text.Json.Serialization.JsonPropertyName("interval_seconds")] double? IntervalSeconds,
    [property: System.Text.Json.Serialization.JsonPropertyName("min_samples")] int? MinSamples);

/// <summary>
/// Where the rollout state lives: <c>local</c> (this router only) or <c>redis</c> (the fleet's), whether this replica
/// reaches it, the version it holds and which replica made that change.
/// </summary>
public sealed record RolloutStoreStatus(string Kind, string Status, string? Reason, long Version, string? ChangedBy, string Replica);

public sealed record ShadowStatus(
    bool Enabled,
    double SampleRate,
    int MaxConcurrency,
    int InFlight,
    long Sent,
    long Succeeded,
    long Failed,
    long Dropped,
    WindowSummary Window,
    ShadowComparisonStatus Comparison);

/// <summary>How the new arm's answers to mirrored requests compare with the legacy answers the clients got.</summary>
/// <param name="Mismatches">Counts by kind: status, content_type, duration, size.</param>
/// <param name="Recent">The last few mismatches, newest first.</param>
public sealed record ShadowComparisonStatus(
    long Compared,
    long Matched,
    long Mismatched,
    double MismatchRate,
    IReadOnlyDictionary<string, long> Mismatches,
    IReadOnlyList<ShadowMismatch> Recent);

/// <summary>One mirrored request whose answers differed: what was asked (never the input text) and both answers.</summary>
public sealed record ShadowMismatch(
    DateTimeOffset At,
    string Method,
    string Path,
    string? Voice,
    string? Format,
    IReadOnlyList<string> Kinds,
    int LegacyStatus,
    int NewStatus,
    double? LegacySeconds,
    double? NewSeconds,
    long LegacyBytes,
    long NewBytes);

public sealed record ArmWindows(WindowSummary Legacy, WindowSummary New);

/// <summary>What the rolling window holds for one arm: the numbers the rollback decision is made on.</summary>
/// <param name="TtfbSamples">Samples whose answer started, which the time-to-first-byte p95 is taken over.</param>
public sealed record WindowSummary(int Samples, double SuccessRate, double P95Milliseconds, double TtfbP95Milliseconds, int TtfbSamples);
