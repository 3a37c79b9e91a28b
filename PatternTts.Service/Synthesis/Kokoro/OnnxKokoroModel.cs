using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace PatternTts.Service.Synthesis.Kokoro;

/// <summary>
/// Kokoro on ONNX Runtime. The published exports disagree on input names (tokens or input_ids) and on the speed
/// element type (float32 or int32), so every
/// binding is read from the session metadata instead of assumed.
/// </summary>
public sealed partial class OnnxKokoroModel : IKokoroModel
{
    public const int StyleLength = 256;

    private static readonly string[] TokensInputNames = ["tokens", "input_ids"];
    private static readonly string[] AudioOutputNames = ["audio", "waveform"];
    private static readonly string[] DurationOutputNames = ["duration", "durations"];

    private readonly SessionOptions _sessionOptions;
    private readonly InferenceSession _session;
    private readonly ILogger _logger;
    private readonly TensorElementType _tokensType;
    private readonly TensorElementType _speedType;
    private readonly TensorElementType? _durationType;
    private readonly bool _tokensHaveBatchAxis;
    private readonly long[] _styleShape;
    private readonly long[] _speedShape;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private int _speedRoundingLogged;

    public OnnxKokoroModel(string modelPath, int intraOpThreads, bool useGpu, ILogger<OnnxKokoroModel> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;

        _sessionOptions = CreateSessionOptions(intraOpThreads, useGpu, logger);
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
            var inputs = _session.InputMetadata;
            var outputs = _session.OutputMetadata;

            var tokensName = TokensInputNames.FirstOrDefault(inputs.ContainsKey)
                ?? throw Unsupported(modelPath, $"no token input named {string.Join(" or ", TokensInputNames)}");
            var tokens = inputs[tokensName];
            _tokensType = tokens.ElementDataType;
            if (_tokensType is not (TensorElementType.Int64 or TensorElementType.Int32))
            {
                throw Unsupported(modelPath, $"token input '{tokensName}' has element type {_tokensType}");
            }
            _tokensHaveBatchAxis = tokens.Dimensions.Length != 1;

            var style = inputs.TryGetValue("style", out var s) && s.ElementDataType == TensorElementType.Float
                ? s
                : throw Unsupported(modelPath, "no float input named 'style'");
            _styleShape = ConcreteShape(style.Dimensions);
            if (_styleShape.Aggregate(1L, (a, b) => a * b) != StyleLength)
            {
                throw Unsupported(modelPath, $"'style' has shape [{string.Join(",", style.Dimensions)}], expected 256 floats");
            }

            var speed = inputs.TryGetValue("speed", out var sp)
                ? sp
                : throw Unsupported(modelPath, "no input named 'speed'");
            _speedType = speed.ElementDataType;
            if (_speedType is not (TensorElementType.Float or TensorElementType.Double
                or TensorElementType.Int32 or TensorElementType.Int64))
            {
                throw Unsupported(modelPath, $"'speed' has element type {_speedType}");
            }
            _speedShape = ConcreteShape(speed.Dimensions);

            var extraInputs = inputs.Keys.Except([tokensName, "style", "speed"]).ToArray();
            if (extraInputs.Length > 0)
            {
                throw Unsupported(modelPath, $"unexpected inputs {string.Join(", ", extraInputs)}");
            }

            var audioName = AudioOutputNames.FirstOrDefault(outputs.ContainsKey)
                ?? outputs.FirstOrDefault(o => o.Value.ElementDataType == TensorElementType.Float).Key
                ?? throw Unsupported(modelPath, "no float output");
            if (outputs[audioName].ElementDataType != TensorElementType.Float)
            {
                throw Unsupported(modelPath, $"audio output '{audioName}' has element type {outputs[audioName].ElementDataType}");
            }

            var durationName = DurationOutputNames.FirstOrDefault(n =>
                outputs.TryGetValue(n, out var d) && d.ElementDataType is TensorElementType.Int64 or TensorElementType.Int32);
            _durationType = durationName is null ? null : outputs[durationName].ElementDataType;

            _inputNames = [tokensName, "style", "speed"];
            _outputNames = durationName is null ? [audioName] : [audioName, durationName];

            Info = new KokoroModelInfo(
                Path.GetFullPath(modelPath),
                tokensName,
                "speed",
                ElementTypeName(_speedType),
                audioName,
                durationName);

            LogModelLoaded(_logger, Info.FilePath, tokensName, Info.SpeedElementType, audioName, durationName ?? "(none)");
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
        using var styleValue = OrtValue.CreateTensorValueFromMemory(style, _styleShape);
        using var speedValue = CreateSpeed(speed);
        using var runOptions = new RunOptions();
        // Disposed before runOptions (reverse declaration order), so the callback never touches a freed handle.
        using var registration = cancellationToken.Register(static o => ((RunOptions)o!).Terminate = true, runOptions);

        IDisposableReadOnlyCollection<OrtValue> outputs;
        try
        {
            outputs = _session.Run(runOptions, _inputNames, [tokensValue, styleValue, speedValue], _outputNames);
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

            long[]? durations = _durationType switch
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
        long[] shape = _tokensHaveBatchAxis ? [1, padded.Length] : [padded.Length];
        return _tokensType == TensorElementType.Int64
            ? OrtValue.CreateTensorValueFromMemory(padded, shape)
            : OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(padded, v => checked((int)v)), shape);
    }

    private OrtValue CreateSpeed(float speed)
    {
        switch (_speedType)
        {
            case TensorElementType.Float:
                return OrtValue.CreateTensorValueFromMemory(new[] { speed }, _speedShape);
            case TensorElementType.Double:
                return OrtValue.CreateTensorValueFromMemory(new[] { (double)speed }, _speedShape);
        }

        // Integer-speed exports (hexgrad export.py) divide durations by an int: fractions are lost and 0 breaks them.
        var whole = Math.Max(1, (int)MathF.Round(speed, MidpointRounding.AwayFromZero));
        if (whole != speed && Interlocked.Exchange(ref _speedRoundingLogged, 1) == 0)
        {
            LogIntegerSpeed(_logger, speed, whole);
        }
        return _speedType == TensorElementType.Int32
            ? OrtValue.CreateTensorValueFromMemory(new[] { whole }, _speedShape)
            : OrtValue.CreateTensorValueFromMemory(new[] { (long)whole }, _speedShape);
    }

    private static SessionOptions CreateSessionOptions(int intraOpThreads, bool useGpu, ILogger logger)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        if (intraOpThreads > 0)
        {
            options.IntraOpNumThreads = intraOpThreads;
        }

        if (useGpu)
        {
            try
            {
                options.AppendExecutionProvider_CUDA(0);
                LogCudaEnabled(logger);
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                LogCudaUnavailable(logger, ex.Message);
            }
        }
        return options;
    }

    private static long[] ConcreteShape(int[] dimensions) =>
        Array.ConvertAll(dimensions, d => d > 0 ? (long)d : 1L);

    private static string ElementTypeName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Double => "float64",
        TensorElementType.Int32 => "int32",
        TensorElementType.Int64 => "int64",
        _ => type.ToString(),
    };

    private static NotSupportedException Unsupported(string modelPath, string reason) =>
        new($"'{modelPath}' does not look like a Kokoro export: {reason}.");

    [LoggerMessage(EventId = 1100, EventName = "KokoroModelLoaded", Level = LogLevel.Information,
        Message = "Loaded Kokoro model {Path}: tokens input '{TokensInput}', speed {SpeedType}, audio output '{AudioOutput}', durations {DurationOutput}")]
    private static partial void LogModelLoaded(
        ILogger logger, string path, string tokensInput, string speedType, string audioOutput, string durationOutput);

    [LoggerMessage(EventId = 1101, EventName = "KokoroCudaEnabled", Level = LogLevel.Information,
        Message = "ONNX Runtime CUDA execution provider enabled")]
    private static partial void LogCudaEnabled(ILogger logger);

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
