namespace PatternTts.Service.Synthesis.Kokoro;

public enum ModelState
{
    Loading,
    Ready,
    Missing,
    Failed,
}

/// <summary>Opens a Kokoro model file; tests replace it through the service collection.</summary>
public interface IKokoroModelFactory
{
    IKokoroModel Load(string path, TtsOptions options);
}

/// <summary>The production factory: an ONNX Runtime session over the file.</summary>
public sealed class OnnxKokoroModelFactory(ILoggerFactory loggerFactory) : IKokoroModelFactory
{
    public IKokoroModel Load(string path, TtsOptions options) =>
        new OnnxKokoroModel(path, options.EffectiveIntraOpThreads, options.UseGpu, loggerFactory.CreateLogger<OnnxKokoroModel>(), options.IntraOpSpinning);
}

/// <summary>
/// Owns the one shared Kokoro session. Loads it in the background at start so the process answers probes
/// (not ready) while a 300 MB model loads, and disposes it with the container.
/// </summary>
public sealed partial class KokoroModelHost(
    IKokoroModelFactory factory,
    IOptions<TtsOptions> options,
    ILogger<KokoroModelHost> logger) : BackgroundService
{
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile IKokoroModel? _model;
    private volatile string? _reason = "Loading the Kokoro model.";
    private volatile string? _sha256;

    public ModelState State { get; private set; } = ModelState.Loading;

    public IKokoroModel? Model => _model;

    /// <summary>The loaded model file's sha256 (lower-case hex), or null until one is loaded: what cached audio is keyed by.</summary>
    public string? ModelSha256 => _model is null ? null : _sha256;

    /// <summary>Why the model is not available, or null once it is.</summary>
    public string? Reason => _reason;

    /// <summary>Completes when loading has ended, whatever its outcome (<see cref="State"/> says which).</summary>
    public Task WhenLoaded => _loaded.Task;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        try
        {
            Load();
        }
        finally
        {
            _loaded.TrySetResult();
        }
    }, stoppingToken);

    private void Load()
    {
        if (options.Value.EngineChoice == EngineChoice.Espeak)
        {
            Set(null, ModelState.Missing, "The espeak-ng engine was chosen (TTS_ENGINE=espeak-ng); Kokoro is not loaded.");
            return;
        }

        var location = KokoroModelLocator.Locate(options.Value.ModelPath);
        if (!location.Found)
        {
            LogMissing(logger, location.Reason!);
            Set(null, ModelState.Missing, location.Reason);
            return;
        }

        LogChosen(logger, location.Path!, location.Reason!);
        try
        {
            var started = Stopwatch.GetTimestamp();
            var model = factory.Load(location.Path!, options.Value);
            _sha256 = Sha256Of(location.Path!);
            LogLoaded(logger, location.Path!, Stopwatch.GetElapsedTime(started).TotalSeconds);
            Set(model, ModelState.Ready, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e, location.Path!);
            Set(null, ModelState.Failed, $"The Kokoro model at '{location.Path}' could not be loaded: {e.Message}");
        }
    }

    private static string Sha256Of(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file));
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

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Kokoro model {Path} chosen: {Why}")]
    private static partial void LogChosen(ILogger logger, string path, string why);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Failed to load Kokoro model {Path}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string path);
}
