namespace PatternTts.Service.Synthesis;

/// <summary>What the service can serve right now, said truthfully for /health, /v1/models and X-Tts-Engine.</summary>
public sealed record EngineStatus(bool Ready, string Engine, string Model, string? Reason, string? Warning);

/// <summary>
/// Picks the engine for a request. Production must never silently serve the robot voice: without the Kokoro
/// model it is not ready. Only Development falls back to espeak-ng, with a warning.
/// </summary>
public sealed partial class EngineSelector(
    KokoroEngine kokoro,
    EspeakEngine espeak,
    KokoroModelHost host,
    IOptions<TtsOptions> options,
    IHostEnvironment environment,
    ILogger<EngineSelector> logger)
{
    private int _fallbackWarned;

    public EngineStatus Status
    {
        get
        {
            var configured = options.Value.EngineChoice;
            if (configured == EngineChoice.Espeak)
            {
                return EspeakStatus(warning: null);
            }

            if (host.State == ModelState.Ready)
            {
                return new EngineStatus(true, kokoro.Name, kokoro.ModelName, null, null);
            }

            if (configured == EngineChoice.Auto && environment.IsDevelopment() && host.State != ModelState.Loading)
            {
                return EspeakStatus($"Development fallback to espeak-ng: {host.Reason}");
            }

            return new EngineStatus(false, kokoro.Name, "none", host.Reason, null);
        }
    }

    /// <summary>The engine for a request, or <see cref="EngineUnavailableException"/> (503).</summary>
    public ISpeechEngine Select(string requestedModel)
    {
        if (requestedModel.Equals(EngineNames.Espeak, StringComparison.OrdinalIgnoreCase))
        {
            return EspeakEngineOrThrow();
        }

        var status = Status;
        if (!status.Ready)
        {
            throw new EngineUnavailableException(status.Reason ?? "The speech engine is not ready.");
        }

        if (status.Engine == EngineNames.Espeak)
        {
            if (status.Warning is not null && Interlocked.Exchange(ref _fallbackWarned, 1) == 0)
            {
                LogFallback(logger, status.Warning);
            }

            return EspeakEngineOrThrow();
        }

        return kokoro;
    }

    private EspeakEngine EspeakEngineOrThrow() =>
        EspeakLibrary.UnavailableReason is { } reason ? throw new EngineUnavailableException(reason) : espeak;

    private EngineStatus EspeakStatus(string? warning) => EspeakLibrary.UnavailableReason is { } reason
        ? new EngineStatus(false, espeak.Name, "none", reason, null)
        : new EngineStatus(true, espeak.Name, espeak.ModelName, null, warning);

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "{Warning}. Requests are served by the espeak-ng robot voice, not Kokoro.")]
    private static partial void LogFallback(ILogger logger, string warning);
}
