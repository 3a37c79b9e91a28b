namespace PatternTts.Service.Synthesis.Kokoro;

public enum ModelState
{
    Loading,
    Ready,
    Missing,
    Failed,
}

/// <summary>
/// Owns the one shared Kokoro session. Loads it in the background at start so the process answers probes
/// (not ready) while a 300 MB model loads, and disposes it with the container.
/// </summary>
public sealed partial class KokoroModelHost(
    IOptions<TtsOptions> options,
    ILoggerFactory loggerFactory,
    ILogger<KokoroModelHost> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private volatile IKokoroModel? _model;
    private volatile string? _reason = "Loading the Kokoro model.";
    private volatile bool _injected;

    public ModelState State { get; private set; } = ModelState.Loading;

    public IKokoroModel? Model => _model;

    /// <summary>Why the model is not available, or null once it is.</summary>
    public string? Reason => _reason;

    /// <summary>Lets tests hand in a model (the stand-in) instead of a file.</summary>
    public void Use(IKokoroModel model)
    {
        lock (_gate)
        {
            _injected = true;
            Set(model, ModelState.Ready, null);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        if (options.Value.Engine.Equals(EngineNames.Espeak, StringComparison.OrdinalIgnoreCase))
        {
            SetUnlessInjected(null, ModelState.Missing, "The espeak-ng engine was chosen (TTS_ENGINE=espeak-ng); Kokoro is not loaded.");
            return;
        }

        var location = KokoroModelLocator.Locate(options.Value.ModelPath);
        if (!location.Found)
        {
            LogMissing(logger, location.Reason!);
            SetUnlessInjected(null, ModelState.Missing, location.Reason);
            return;
        }

        try
        {
            var started = Stopwatch.GetTimestamp();
            var model = new OnnxKokoroModel(location.Path!, options.Value.IntraOpThreads, options.Value.UseGpu, loggerFactory.CreateLogger<OnnxKokoroModel>());
            LogLoaded(logger, location.Path!, Stopwatch.GetElapsedTime(started).TotalSeconds);
            if (!SetUnlessInjected(model, ModelState.Ready, null))
            {
                model.Dispose();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e, location.Path!);
            SetUnlessInjected(null, ModelState.Failed, $"The Kokoro model at '{location.Path}' could not be loaded: {e.Message}");
        }
    }, stoppingToken);

    private bool SetUnlessInjected(IKokoroModel? model, ModelState state, string? reason)
    {
        lock (_gate)
        {
            if (_injected)
            {
                return false;
            }

            Set(model, state, reason);
            return true;
        }
    }

    private void Set(IKokoroModel? model, ModelState state, string? reason)
    {
        _model = model;
        _reason = reason;
        State = state;
    }

    public override void Dispose()
    {
        _model?.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Kokoro model not found: {Reason}")]
    private static partial void LogMissing(ILogger logger, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Loaded Kokoro model {Path} in {Seconds:F1} s")]
    private static partial void LogLoaded(ILogger logger, string path, double seconds);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Failed to load Kokoro model {Path}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string path);
}
