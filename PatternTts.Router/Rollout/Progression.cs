using System.Text.Json.Serialization;

namespace PatternTts.Router.Rollout;

[JsonConverter(typeof(JsonStringEnumConverter<ProgressionStatus>))]
public enum ProgressionStatus
{
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("paused")] Paused,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("aborted")] Aborted,
    [JsonStringEnumMemberName("rolled_back")] RolledBack,
}

/// <summary>
/// An automatic rollout: the percentage steps to walk, how long each is watched, how many new-arm samples a step
/// needs before it is judged, where it stands, and every decision it made. Part of the rollout state, so the fleet
/// shares it and a change to it is one compare-and-set with the percentage it moves.
/// </summary>
/// <param name="StepIndex">The step in force; -1 while the rollout is still in phase 1 (shadow) waiting for its gate.</param>
/// <param name="Applied">The percentages the progression has set, in order: each exactly once.</param>
/// <param name="Driver">The replica that made the last decision.</param>
public sealed record ProgressionState(
    ProgressionStatus Status,
    IReadOnlyList<int> Steps,
    int StepIndex,
    double IntervalSeconds,
    int MinSamples,
    DateTimeOffset NextEvaluationAt,
    ProgressionDecision? LastDecision,
    IReadOnlyList<int> Applied,
    string? Driver)
{
    public bool IsLive => Status is ProgressionStatus.Running or ProgressionStatus.Paused;

    public int? CurrentStep => StepIndex >= 0 ? Steps[StepIndex] : null;
}

/// <summary>One evaluation: advance, wait, complete or roll back, which gate decided, and the figures it was made on.</summary>
/// <param name="Gate">success_rate, latency_p95, ttfb_p95, shadow_mismatch or min_samples; null when every gate held.</param>
public sealed record ProgressionDecision(
    DateTimeOffset At,
    string Outcome,
    string? Gate,
    string Reason,
    WindowSummary New,
    WindowSummary Legacy,
    double? ShadowMismatchRate,
    long? ShadowCompared);
