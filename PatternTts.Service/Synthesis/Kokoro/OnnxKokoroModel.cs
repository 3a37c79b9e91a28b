using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace PatternTts.Service.Synthesis.Kokoro;

/// <summary>
/// Kokoro on ONNX Runtime: validate the inputs, run, check the output. What the loaded export looks like
/// comes from <see cref="KokoroSignature"/>.
/// </summary>
public sealed partial class OnnxKokoroModel : IKokoroModel
{
    public const int StyleLength = KokoroSignature.StyleLength;

    private readonly SessionOptions _sessionOptions;
    private readonly InferenceSession _session;
    private readonly ILogger _logger;
    private readonly KokoroSignature _signature;
    private int _speedRoundingLogged;

    /// <param name="intraOpThreads">Threads per call; 0 lets ONNX Runtime choose.</param>
    /// <param name="spinning">Let idle threads spin for work (ONNX Runtime's default); off keeps concurrent calls from burning each other's cores.</param>
    public OnnxKokoroModel(string modelPath, int intraOpThreads, bool useGpu, ILogger<OnnxKokoroModel> logger, bool spinning = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;

        _sessionOptions = CreateSessionOptions(intraOpThreads, useGpu, spinning, logger);
        try
        {
            _session = new InferenceSession(modelPath, _sessionOptions);
        }
        catch
        {
            _sessionOptions.Dispose();
            throw;
        }

        try
        {
            _signature = KokoroSignature.Read(_session, modelPath);
            Info = _signature.Describe(modelPath) with
            {
                StandIn = _session.ModelMetadata.CustomMetadataMap.TryGetValue(KokoroModelInfo.StandInMetadataKey, out var standIn) ? standIn : null,
            };
            if (Info.StandIn is { } what)
            {
                LogStandIn(_logger, Info.FilePath, what);
            }

            LogModelLoaded(_logger, Info.FilePath, Info.TokensInputName, Info.SpeedElementType, Info.AudioOutputName, Info.DurationOutputName ?? "(none)");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public KokoroModelInfo Info { get; }

    public async Task<KokoroModelOutput> RunAsync(
        IReadOnlyList<long> tokenIds,
        ReadOnlyMemory<float> style,
        float speed,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);
        if (tokenIds.Count is 0 or > IKokoroModel.MaxPhonemeTokens)
        {
            throw new ArgumentException(
                $"A model call takes 1 to {IKokoroModel.MaxPhonemeTokens} phoneme tokens; got {tokenIds.Count}.",
                nameof(tokenIds));
        }
        if (style.Length != StyleLength)
        {
            throw new ArgumentException($"The style row must hold {StyleLength} floats; got {style.Length}.", nameof(style));
        }
        if (!float.IsFinite(speed) || speed <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(speed), speed, "Speed must be a positive finite number.");
        }
        cancellationToken.ThrowIfCancellationRequested();

        // Copies taken here: the caller may reuse its buffers as soon as this method returns a task.
        var padded = new long[tokenIds.Count + 2];
        for (var i = 0; i < tokenIds.Count; i++)
        {
            padded[i + 1] = tokenIds[i];
        }
        var styleCopy = style.ToArray();

        // Run blocks for the whole inference, so it gets a pool thread instead of the caller's.
        var result = await Task.Run(() => Run(padded, styleCopy, speed, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return result;
    }

    public void Dispose()
    {
        _session?.Dispose();
        _sessionOptions?.Dispose();
    }

    private KokoroModelOutput Run(long[] padded, float[] style, float speed, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        using var tokensValue = CreateTokens(padded);
        using var styleValue = OrtValue.CreateTensorValueFromMemory(style, _signature.StyleShape);
        using var speedValue = CreateSpeed(speed);
        using var runOptions = new RunOptions();
        // Disposed before runOptions (reverse declaration order), so the callback never touches a freed handle.
        using var registration = cancellationToken.Register(static o => ((RunOptions)o!).Terminate = true, runOptions);

        IDisposableReadOnlyCollection<OrtValue> outputs;
        try
        {
            outputs = _session.Run(runOptions, _signature.InputNames, [tokensValue, styleValue, speedValue], _signature.OutputNames);
        }
        catch (OnnxRuntimeException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The model call was cancelled.", ex, cancellationToken);
        }

        using (outputs)
        {
            var audio = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            var firstBad = IndexOfNonFinite(audio);
            if (firstBad >= 0)
            {
                LogNonFiniteOutput(_logger, audio[firstBad], firstBad, audio.Length, padded.Length - 2);
                throw new InvalidDataException(
                    $"The Kokoro model produced a non-finite sample ({audio[firstBad]}) at index {firstBad} of {audio.Length}.");
            }

            long[]? durations = _signature.DurationType switch
            {
                TensorElementType.Int64 => outputs[1].GetTensorDataAsSpan<long>().ToArray(),
                TensorElementType.Int32 => Array.ConvertAll(outputs[1].GetTensorDataAsSpan<int>().ToArray(), v => (long)v),
                _ => null,
            };
            return new KokoroModelOutput(audio, durations);
        }
    }

    private static int IndexOfNonFinite(float[] samples)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            if (!float.IsFinite(samples[i]))
            {
                return i;
            }
        }
        return -1;
    }

    private OrtValue CreateTokens(long[] padded)
    {
        long[] shape = _signature.TokensHaveBatchAxis ? [1, padded.Length] : [padded.Length];
        return _signature.TokensType == TensorElementType.Int64
            ? OrtValue.CreateTensorValueFromMemory(padded, shape)
            : OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(padded, v => checked((int)v)), shape);
    }

    private OrtValue CreateSpeed(float speed)
    {
        switch (_signature.SpeedType)
        {
            case TensorElementType.Float:
                return OrtValue.CreateTensorValueFromMemory(new[] { speed }, _signature.SpeedShape);
            case TensorElementType.Double:
                return OrtValue.CreateTensorValueFromMemory(new[] { (double)speed }, _signature.SpeedShape);
        }

        // Integer-speed exports (hexgrad export.py) divide durations by an int: fractions are lost and 0 breaks them.
        var whole = Math.Max(1, (int)MathF.Round(speed, MidpointRounding.AwayFromZero));
        if (whole != speed && Interlocked.Exchange(ref _speedRoundingLogged, 1) == 0)
        {
            LogIntegerSpeed(_logger, speed, whole);
        }
        return _signature.SpeedType == TensorElementType.Int32
            ? OrtValue.CreateTensorValueFromMemory(new[] { whole }, _signature.SpeedShape)
            : OrtValue.CreateTensorValueFromMemory(new[] { (long)whole }, _signature.SpeedShape);
    }

    private static SessionOptions CreateSessionOptions(int intraOpThreads, bool useGpu, bool spinning, ILogger logger)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        if (!spinning)
        {
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }

        if (intraOpThreads > 0)
        {
            options.IntraOpNumThreads = intraOpThreads;
        }

        if (!useGpu)
        {
            LogProvider(logger, "CPU", "USE_GPU is false");
            return options;
        }

        if (!OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider"))
        {
            LogCudaUnavailable(logger, "this build carries the CPU ONNX Runtime only; build with -p:OnnxRuntimeGpu=true, as docker/Dockerfile.gpu does");
            LogProvider(logger, "CPU", "no CUDA provider in this build");
            return options;
        }

        try
        {
            options.AppendExecutionProvider_CUDA(0);
            LogProvider(logger, "CUDA", "USE_GPU is true and the CUDA provider loaded");
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            LogCudaUnavailable(logger, ex.Message);
            LogProvider(logger, "CPU", "the CUDA provider failed to load");
        }

        return options;
    }

    [LoggerMessage(EventId = 1100, EventName = "KokoroModelLoaded", Level = LogLevel.Information,
        Message = "Loaded Kokoro model {Path}: tokens input '{TokensInput}', speed {SpeedType}, audio output '{AudioOutput}', durations {DurationOutput}")]
    private static partial void LogModelLoaded(
        ILogger logger, string path, string tokensInput, string speedType, string audioOutput, string durationOutput);

    [LoggerMessage(EventId = 1105, EventName = "KokoroStandIn", Level = LogLevel.Warning,
        Message = "{Path} is not Kokoro but a generated stand-in ({What}); it speaks noise and is reported as a stand-in")]
    private static partial void LogStandIn(ILogger logger, string path, string what);

    [LoggerMessage(EventId = 1101, EventName = "KokoroProvider", Level = LogLevel.Information,
        Message = "ONNX Runtime runs Kokoro on the {Provider} ({Why})")]
    private static partial void LogProvider(ILogger logger, string provider, string why);

    [LoggerMessage(EventId = 1102, EventName = "KokoroCudaUnavailable", Level = LogLevel.Warning,
        Message = "USE_GPU is set but the CUDA execution provider is unavailable ({Reason}); running on the CPU")]
    private static partial void LogCudaUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 1103, EventName = "KokoroIntegerSpeed", Level = LogLevel.Warning,
        Message = "This Kokoro export takes an integer speed; speed {Requested} was sent as {Sent} (further roundings are not logged)")]
    private static partial void LogIntegerSpeed(ILogger logger, float requested, int sent);

    [LoggerMessage(EventId = 1104, EventName = "KokoroNonFiniteOutput", Level = LogLevel.Error,
        Message = "Kokoro produced a non-finite sample {Value} at {Index} of {Samples} samples ({Tokens} tokens)")]
    private static partial void LogNonFiniteOutput(ILogger logger, float value, int index, int samples, int tokens);
}
