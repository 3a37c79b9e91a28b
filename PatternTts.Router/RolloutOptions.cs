namespace PatternTts.Router;

/// <summary>
/// The <c>Rollout</c> section. It is reloaded live (ConfigMap, appsettings, environment), so it is sanitised by
/// <see cref="RolloutStateStore"/> rather than validated: a validation exception thrown from a reload callback would
/// take the process down instead of keeping the last good state.
/// </summary>
public sealed class RolloutOptions
{
    public const string SectionName = "Rollout";

    /// <summary>Share of users (0–100) the new arm serves in phase 2.</summary>
    public int Percentage { get; set; }

    /// <summary>1: 0% live with shadow traffic; 2: A/B at <see cref="Percentage"/>; 3: 100%, legacy disabled.</summary>
    public int Phase { get; set; } = 2;

    /// <summary>Fraction (0..1) of legacy-served requests mirrored to the new arm in phase 1.</summary>
    public double ShadowSampleRate { get; set; } = 0.25;

    /// <summary>Shadow requests in flight at once; samples beyond it are dropped, never queued.</summary>
    public int ShadowMaxConcurrency { get; set; } = 4;

    public int ShadowTimeoutSeconds { get; set; } = 30;

    /// <summary>Relative difference in audio duration above which a shadow answer counts as a mismatch.</summary>
    public double ShadowDurationTolerance { get; set; } = 0.3;

    /// <summary>Relative difference in size, for formats whose duration is not read (Opus, AAC, FLAC).</summary>
    public double ShadowSizeTolerance { get; set; } = 0.5;

    /// <summary>Honour the <c>X-Pattern-Arm</c> request header: off unless switched on (Development switches it on).</summary>
    public bool AllowForcedArm { get; set; }

    /// <summary>Bearer key for <c>/admin/rollout</c>. Empty disables the admin API (404), it is never open.</summary>
    public string AdminKey { get; set; } = "";

    /// <summary>The FeatureManagement flag whose Targeting filter assigns users to the new arm.</summary>
    public string FeatureName { get; set; } = "NewTtsService";

    /// <summary>Request bodies up to this size are buffered so a failed attempt can be replayed on the other arm.</summary>
    public int MaxReplayBodyBytes { get; set; } = 1024 * 1024;

    public int HealthProbeTimeoutMilliseconds { get; set; } = 2000;

    public int HealthCacheSeconds { get; set; } = 5;

    /// <summary>
    /// OpenAI error codes of new-arm 4xx answers that mean "the new service cannot serve this yet" (Japanese and
    /// Mandarin voices today): in phases 1 and 2 such a request is replayed on legacy before any byte reaches the
    /// client. In phase 3 legacy is gone and the client gets the new arm's error.
    /// </summary>
    /// <remarks>Empty by default and read through <see cref="EffectiveCapabilityFallbackCodes"/>: the configuration binder
    /// adds configured array items to a default's instead of replacing them.</remarks>
    public string[] CapabilityFallbackCodes { get; set; } = [];

    public IReadOnlyList<string> EffectiveCapabilityFallbackCodes =>
        CapabilityFallbackCodes.Length > 0 ? CapabilityFallbackCodes : ["unsupported_language", "voice_not_found"];

    /// <summary>This router's name in logs and in the shared state; empty: the host name (the pod's) and process id.</summary>
    public string ReplicaName { get; set; } = "";

    /// <summary>With a shared store, how often each replica re-reads it, so a missed announcement heals.</summary>
    public double StoreReconcileSeconds { get; set; } = 1;

    public RollbackOptions Rollback { get; set; } = new();

    public ProgressionOptions Progression { get; set; } = new();
}

/// <summary>
/// <c>Rollout:Progression</c>: the steps and gates an automatic rollout uses when it is started (from the admin API
/// or a dashboard command) without its own.
/// </summary>
public sealed class ProgressionOptions
{
    /// <summary>Empty means 10, 25, 50, 100 (<see cref="EffectiveSteps"/>; the binder would add to a default array).</summary>
    public int[] Steps { get; set; } = [];

    public int[] EffectiveSteps => Steps.Length > 0 ? Steps : [10, 25, 50, 100];

    /// <summary>How long each step is watched before its gates are judged.</summary>
    public double IntervalSeconds { get; set; } = 300;

    /// <summary>New-arm requests a step needs before it is judged; fewer and the step waits another interval.</summary>
    public int MinSamples { get; set; } = 100;

    public double MinSuccessRate { get; set; } = 0.99;

    /// <summary>The new arm's p95 latency and p95 time to first byte may be at most this multiple of legacy's.</summary>
    public double MaxLatencyRatio { get; set; } = 1.5;

    /// <summary>A p95 gap that must also be exceeded, so jitter on millisecond answers is not a regression.</summary>
    public double MinDifferenceMilliseconds { get; set; } = 50;

    /// <summary>Phase 1 ends only when at most this share of shadow answers differ from legacy's.</summary>
    public double MaxShadowMismatchRate { get; set; } = 0.05;

    public int MinShadowCompared { get; set; } = 50;

    /// <summary>How long the driving replica's lease lasts without renewal before another replica takes over.</summary>
    public double LeaseSeconds { get; set; } = 10;

    public double TickSeconds { get; set; } = 1;
}

/// <summary>The SLO the new arm must hold; a breach sets the rollout to 0% until an operator raises it again.</summary>
public sealed class RollbackOptions
{
    public bool Enabled { get; set; } = true;

    public double MinSuccessRate { get; set; } = 0.99;

    /// <summary>The new arm's time-to-first-byte p95 may be at most this multiple of legacy's, over the same window.</summary>
    public double MaxP95Ratio { get; set; } = 1.5;

    /// <summary>
    /// The p95 gap (ms) that must also be exceeded; without it, jitter on millisecond-fast answers would read as a
    /// 1.5x regression.
    /// </summary>
    public double MinP95DifferenceMilliseconds { get; set; } = 50;

    /// <summary>Samples each arm needs in the window before it is judged.</summary>
    public int MinSamples { get; set; } = 50;

    public int WindowSeconds { get; set; } = 300;

    /// <summary>Most recent samples kept per arm, bounding memory and the cost of a p95.</summary>
    public int MaxSamples { get; set; } = 2000;
}
