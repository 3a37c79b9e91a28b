using System.ComponentModel.DataAnnotations;

namespace PatternTts.Service;

/// <summary>
/// Every service setting. Bound from the <c>Tts</c> section, which is fed (lowest to highest precedence) by
/// <c>PatternTts.Service/service.yaml</c>, appsettings, <c>Tts__*</c> variables and the legacy Kokoro-FastAPI contract's flat <c>TTS_*</c> variables.
/// </summary>
public sealed class TtsOptions : IValidatableObject
{
    public const string SectionName = "Tts";

    [Range(1, 65535)]
    public int Port { get; set; } = 8205;

    [Required(AllowEmptyStrings = false)]
    public string Host { get; set; } = "0.0.0.0";

    /// <summary>Python-style names as the legacy container uses them (DEBUG, INFO, WARNING, ERROR, CRITICAL) or .NET level names.</summary>
    [Required(AllowEmptyStrings = false)]
    public string LogLevel { get; set; } = "INFO";

    /// <summary>A Kokoro .onnx file, or a folder holding one of <see cref="ModelFileNames"/>.</summary>
    public string ModelPath { get; set; } = "models";

    /// <summary>The folder of <c>*.bin</c> voice files (kokoro-js layout).</summary>
    public string VoicesPath { get; set; } = ".voices";

    /// <summary><c>auto</c> (Kokoro when the model exists), <c>kokoro</c>, or <c>espeak-ng</c> (the robot voice, on purpose).</summary>
    [Required(AllowEmptyStrings = false)]
    public string Engine { get; set; } = "auto";

    public bool UseGpu { get; set; }

    [Range(1, 1_000_000)]
    public int MaxTextLength { get; set; } = 5000;

    /// <summary>
    /// Longest audio one request may produce, in seconds. The text's spoken length is estimated before synthesis
    /// and a longer plan is refused with a 400; synthesis that runs past the limit anyway is stopped.
    /// </summary>
    [Range(1, 86_400)]
    public int MaxAudioSeconds { get; set; } = 1800;

    /// <summary>Total silence the <c>[pause:…]</c> tags of one request may ask for, in seconds.</summary>
    [Range(0, 3600)]
    public int MaxTotalPauseSeconds { get; set; } = 60;

    /// <summary>Largest body a whole (<c>"stream": false</c>) response may hold in memory; larger ones must stream.</summary>
    [Range(1024, 2_147_483_647)]
    public int MaxBufferedResponseBytes { get; set; } = 64 * 1024 * 1024;

    [Required(AllowEmptyStrings = false)]
    public string TempDir { get; set; } = Path.Combine(Path.GetTempPath(), "tts");

    /// <summary>
    /// ONNX Runtime intra-op threads per model call; 0 means the cores divided among the synthesis slots, at least one
    /// (see <see cref="EffectiveIntraOpThreads"/>).
    /// </summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// Whether ONNX Runtime's threads spin while they wait for work (its default). Off here: spinning threads burn
    /// cores that other calls at once need; on the cost model the difference stayed within the machine's noise.
    /// </summary>
    public bool IntraOpSpinning { get; set; }

    /// <summary>Syntheses that run at once; 0 means one per CPU core.</summary>
    [Range(0, 1024)]
    public int MaxConcurrentSyntheses { get; set; }

    /// <summary>
    /// Requests that may be in progress beyond one per synthesis slot before the service answers 429. Requests take
    /// a slot per model call, not for their whole length, so this bounds how many share the slots at once.
    /// </summary>
    [Range(0, 100_000)]
    public int MaxQueueLength { get; set; } = 32;

    /// <summary>Bytes of audio the in-memory cache keeps, in MiB (TTS_CACHE_MAX_MB); 0 turns the audio cache off.</summary>
    [Range(0, 1_048_576)]
    public int CacheMaxMegabytes { get; set; } = 256;

    /// <summary>Responses longer than this (KiB) are not cached.</summary>
    [Range(1, 1_048_576)]
    public int CacheMaxEntryKilobytes { get; set; } = 4096;

    /// <summary>How long a cached response lives, in minutes, in memory and in Redis.</summary>
    [Range(1, 525_600)]
    public int CacheMinutes { get; set; } = 1440;

    /// <summary>Inputs up to this many characters are interactive: every model call of theirs goes first.</summary>
    [Range(0, 1_000_000)]
    public int InteractiveMaxCharacters { get; set; } = 300;

    /// <summary>
    /// Synthesis slots that bulk model calls (long inputs past their first streamed chunk) may never take, so a short
    /// request finds one free while books are being read. Kept below the slot count: with one slot it is 0.
    /// </summary>
    [Range(0, 1024)]
    public int InteractiveReservedSlots { get; set; } = 1;

    /// <summary>A bulk model call that has waited this long goes before waiting interactive ones, so long requests still progress.</summary>
    [Range(0, 3_600_000)]
    public int BulkAgingMilliseconds { get; set; } = 2000;

    /// <summary>The first streamed chunk is kept this short so the first audio needs one small model call.</summary>
    [Range(1, 510)]
    public int FirstChunkMaxTokens { get; set; } = 40;

    /// <summary>Later chunks are packed up to this many phoneme tokens (the model's hard limit is 510).</summary>
    [Range(1, 510)]
    public int ChunkMaxTokens { get; set; } = 250;

    /// <summary>
    /// Lets <c>POST /v1/audio/voices/combine</c> keep a mix under <see cref="TempDir"/>/voices so it can be used by
    /// name later. Off by default: it lets any client write files.
    /// </summary>
    public bool AllowVoiceSaving { get; set; }

    /// <summary>Speech sockets (<c>/v1/audio/speech/stream</c>) open at once; the next upgrade is answered 429.</summary>
    [Range(0, 100_000)]
    public int MaxSockets { get; set; } = 64;

    /// <summary>A speech socket that neither sends a message nor has audio to make for this long is closed.</summary>
    [Range(1, 86_400)]
    public int SocketIdleSeconds { get; set; } = 60;

    /// <summary>
    /// Serve the legacy container's <c>/dev/*</c> endpoints (phonemize, speak phonemes, captions): <c>auto</c> (on in
    /// Development only), <c>true</c> or <c>false</c>. Closed by default elsewhere, the legacy's open debug endpoints
    /// being one of its known weaknesses.
    /// </summary>
    public string EnableDevEndpoints { get; set; } = FeatureSwitch.Auto;

    /// <summary>Serve <c>/docs</c>, <c>/redoc</c> and <c>/openapi.json</c>: <c>auto</c> (on in Development only), <c>true</c> or <c>false</c>.</summary>
    public string EnableDocs { get; set; } = FeatureSwitch.Auto;

    /// <summary>
    /// Bearer keys, comma-separated, that every <c>/v1/*</c> and <c>/dev/*</c> call must carry one of; empty (the
    /// default) leaves the API open. Kept out of service.yaml: keys come from the environment (a Secret).
    /// </summary>
    public string ApiKeys { get; set; } = string.Empty;

    /// <summary>Serve the <c>/web</c> page: <c>auto</c> (on in Development only), <c>true</c> or <c>false</c>.</summary>
    public string EnableWebPage { get; set; } = FeatureSwitch.Auto;

    /// <summary>
    /// The model files a folder may hold, in the order the locator prefers them: what <c>download-model</c> writes
    /// (int8, its default, then fp32 and fp16), then the onnx-community export's names.
    /// </summary>
    public static readonly string[] ModelFileNames =
        [.. ModelDownload.KokoroReleaseFiles.All.Select(v => v.FileName), "model.onnx", "model_fp16.onnx", "model_quantized.onnx"];

    private static readonly string[] LogLevelNames =
        ["TRACE", "DEBUG", "INFO", "INFORMATION", "WARN", "WARNING", "ERROR", "CRITICAL", "NONE"];

    /// <summary><see cref="Engine"/> as the enum; valid once the options passed validation at start.</summary>
    public EngineChoice EngineChoice => EngineChoices.TryParse(Engine, out var choice) ? choice : EngineChoice.Auto;

    public int EffectiveMaxConcurrentSyntheses =>
        MaxConcurrentSyntheses > 0 ? MaxConcurrentSyntheses : Environment.ProcessorCount;

    /// <summary>
    /// Threads per model call: the cores divided among the slots unless set. Measured on the cost model
    /// (benchmarks/run.sh, 2 cores): one thread per call gave about a tenth more audio per second with calls at once,
    /// and short requests under long-form load their first audio sooner (9.0 s against 12.7 s at p95, 1.3× idle
    /// against 2.6×), than every core per call. A lone request runs 1.7× faster on every core: with one listener at a
    /// time, set TTS_MAX_CONCURRENT_SYNTHESES=1 (every core for its one call).
    /// </summary>
    public int EffectiveIntraOpThreads =>
        IntraOpThreads > 0 ? IntraOpThreads : Math.Max(1, Environment.ProcessorCount / EffectiveMaxConcurrentSyntheses);

    /// <summary>Slots bulk calls may hold at once: all but the reserved ones, and never fewer than one.</summary>
    public int EffectiveBulkSlots => Math.Max(1, EffectiveMaxConcurrentSyntheses - InteractiveReservedSlots);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!LogLevelNames.Contains(LogLevel.ToUpperInvariant()))
        {
            yield return new ValidationResult(
                $"Tts:LogLevel (TTS_LOG_LEVEL) must be one of {string.Join(", ", LogLevelNames)}; got '{LogLevel}'.",
                [nameof(LogLevel)]);
        }

        if (!EngineChoices.TryParse(Engine, out _))
        {
            yield return new ValidationResult(
                $"Tts:Engine (TTS_ENGINE) must be one of {string.Join(", ", EngineChoices.Names)}; got '{Engine}'.",
                [nameof(Engine)]);
        }

        foreach (var (name, value) in new[] { (nameof(EnableDevEndpoints), EnableDevEndpoints), (nameof(EnableDocs), EnableDocs), (nameof(EnableWebPage), EnableWebPage) })
        {
            if (!FeatureSwitch.IsValid(value))
            {
                yield return new ValidationResult($"Tts:{name} must be auto, true or false; got '{value}'.", [name]);
            }
        }

        if (FirstChunkMaxTokens > ChunkMaxTokens)
        {
            yield return new ValidationResult(
                "Tts:FirstChunkMaxTokens must not exceed Tts:ChunkMaxTokens.",
                [nameof(FirstChunkMaxTokens)]);
        }
    }
}
