using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace PatternTts.Service.Synthesis.Kokoro;

/// <summary>
/// What a loaded Kokoro export looks like, read from its session metadata instead of assumed: the published
/// exports disagree on the token input's name (tokens or input_ids) and element type, on the speed's element type
/// (float32 or int32), and on whether they output per-token durations.
/// </summary>
internal sealed record KokoroSignature(
    string TokensName,
    TensorElementType TokensType,
    bool TokensHaveBatchAxis,
    long[] StyleShape,
    TensorElementType SpeedType,
    long[] SpeedShape,
    string AudioName,
    string? DurationName,
    TensorElementType? DurationType)
{
    public const int StyleLength = 256;
    private const string StyleName = "style";
    private const string SpeedName = "speed";

    private static readonly string[] TokensInputNames = ["tokens", "input_ids"];
    private static readonly string[] AudioOutputNames = ["audio", "waveform"];
    private static readonly string[] DurationOutputNames = ["duration", "durations"];

    public string[] InputNames => [TokensName, StyleName, SpeedName];

    public string[] OutputNames => DurationName is null ? [AudioName] : [AudioName, DurationName];

    /// <summary>The signature of <paramref name="session"/>, or <see cref="NotSupportedException"/> naming what does not fit.</summary>
    public static KokoroSignature Read(InferenceSession session, string modelPath)
    {
        var inputs = session.InputMetadata;
        var outputs = session.OutputMetadata;

        var tokensName = TokensInputNames.FirstOrDefault(inputs.ContainsKey)
            ?? throw Unsupported(modelPath, $"no token input named {string.Join(" or ", TokensInputNames)}");
        var tokens = inputs[tokensName];
        if (tokens.ElementDataType is not (TensorElementType.Int64 or TensorElementType.Int32))
        {
            throw Unsupported(modelPath, $"token input '{tokensName}' has element type {tokens.ElementDataType}");
        }

        var style = inputs.TryGetValue(StyleName, out var s) && s.ElementDataType == TensorElementType.Float
            ? s
            : throw Unsupported(modelPath, "no float input named 'style'");
        var styleShape = ConcreteShape(style.Dimensions);
        if (styleShape.Aggregate(1L, (a, b) => a * b) != StyleLength)
        {
            throw Unsupported(modelPath, $"'style' has shape [{string.Join(",", style.Dimensions)}], expected 256 floats");
        }

        var speed = inputs.TryGetValue(SpeedName, out var sp)
            ? sp
            : throw Unsupported(modelPath, "no input named 'speed'");
        if (speed.ElementDataType is not (TensorElementType.Float or TensorElementType.Double
            or TensorElementType.Int32 or TensorElementType.Int64))
        {
            throw Unsupported(modelPath, $"'speed' has element type {speed.ElementDataType}");
        }

        var extraInputs = inputs.Keys.Except([tokensName, StyleName, SpeedName]).ToArray();
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

        return new KokoroSignature(
            tokensName,
            tokens.ElementDataType,
            tokens.Dimensions.Length != 1,
            styleShape,
            speed.ElementDataType,
            ConcreteShape(speed.Dimensions),
            audioName,
            durationName,
            durationName is null ? null : outputs[durationName].ElementDataType);
    }

    public KokoroModelInfo Describe(string modelPath) =>
        new(Path.GetFullPath(modelPath), TokensName, SpeedName, ElementTypeName(SpeedType), AudioName, DurationName);

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
}
