namespace PatternTts.Service.Tests.StandIn;

/// <summary>Which published Kokoro export signature the stand-in imitates.</summary>
/// <param name="TokensInputName"><c>tokens</c> (export A) or <c>input_ids</c> (exports B, D).</param>
/// <param name="IntegerSpeed">Declare <c>speed</c> as int32 (export B) instead of float32.</param>
/// <param name="AudioOutputName"><c>audio</c> or <c>waveform</c>.</param>
/// <param name="AudioRank">1 for [N], 2 for [1, N].</param>
/// <param name="DurationOutputName">Also output int64 durations [T+2] under this name (<c>duration</c>, <c>durations</c>).</param>
/// <param name="PoisonLastSample">Add this value (NaN, ±Inf) to the last sample, to test output checking.</param>
/// <param name="Gain">Multiply every sample by this (0: a silent model; 4: a clipping one), to test output checking.</param>
public sealed record StandInModelOptions(
    string TokensInputName = "tokens",
    bool IntegerSpeed = false,
    string AudioOutputName = "audio",
    int AudioRank = 1,
    string? DurationOutputName = null,
    float? PoisonLastSample = null,
    float Gain = 1f)
{
    /// <summary>Export A: the GitHub model-files-v1.0 signature.</summary>
    public static StandInModelOptions ExportA { get; } = new();

    /// <summary>Export B: hexgrad export.py (input_ids, int32 speed, duration), here with a [1, N] waveform.</summary>
    public static StandInModelOptions ExportB { get; } =
        new("input_ids", IntegerSpeed: true, AudioOutputName: "waveform", AudioRank: 2, DurationOutputName: "duration");
}

/// <summary>
/// Writes, at test time, a tiny ONNX model with Kokoro's signature whose output can be decoded exactly.
/// <para>
/// Every padded token i (pads included) gets duration d = max(1, round(4 / speed)) units (round half to even,
/// as ONNX Round does) and a segment of 600·d samples, so N = 600·Σd as in the real model and speed 0.5 / 1 / 2
/// gives d = 8 / 4 / 2. The first half of the segment (300·d samples) holds <c>+(0.5 + t/512 + style[0])</c>,
/// the second half <c>−(0.5 + t/512 + style[255])</c>, where t is the token id.
/// </para>
/// <para>
/// Exactness: with t &lt; 256 and the style values that <see cref="StandInVoices"/> writes (multiples of 2^-24
/// below 2^-9: <c>(voice·512 + row) / 2^24</c> in the first half of the row, its complement in the second), every
/// magnitude lies in [0.5, 1), where float32 holds every multiple of 2^-24 exactly, so
/// <see cref="StandInDecoder"/> recovers token id, voice, row and segment length bit for bit. The complement in
/// style[255] catches a row read at the wrong offset and audio that was scaled on the way. The sign flip keeps two
/// equal neighbouring tokens apart, and no sample is silent, so trimming cannot eat into the output. The
/// magnitudes stay below 1, so 16-bit encoders don't clip.
/// </para>
/// </summary>
public static class StandInModelBuilder
{
    public const int SamplesPerDurationUnit = 600;

    public static byte[] Build(StandInModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.AudioRank is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "AudioRank must be 1 or 2.");
        }

        var initializers = new List<ProtoMessage>
        {
            Onnx.Int64Tensor("c_flat", [1], -1),
            Onnx.FloatTensor("c_inv512", [1], 1f / 512),
            Onnx.FloatTensor("c_half", [1], 0.5f),
            Onnx.Int64Tensor("c_first", [1], 0),
            Onnx.Int64Tensor("c_last", [1], 255),
            Onnx.Int64Tensor("c_axis1", [1], 1),
            Onnx.Int64Tensor("c_axis2", [1], 2),
            Onnx.FloatTensor("c_four", [1], 4f),
            Onnx.FloatTensor("c_one", [1], 1f),
            Onnx.Int64Tensor("c_half_unit", [1], SamplesPerDurationUnit / 2),
            Onnx.Int64Tensor("c_two", [1], 2),
            options.AudioRank == 1 ? Onnx.Int64Tensor("c_out_shape", [1], -1) : Onnx.Int64Tensor("c_out_shape", [2], 1, -1),
        };

        var tokens = options.TokensInputName;
        var nodes = new List<ProtoMessage>
        {
            Onnx.Node("Cast", [tokens], "tok_f", Onnx.IntAttribute("to", (long)OnnxDataType.Float)),
            Onnx.Node("Reshape", ["tok_f", "c_flat"], "tok_flat"),
            Onnx.Node("Mul", ["tok_flat", "c_inv512"], "tok_scaled"),
            Onnx.Node("Add", ["tok_scaled", "c_half"], "base"),
            Onnx.Node("Reshape", ["style", "c_flat"], "style_flat"),
            Onnx.Node("Gather", ["style_flat", "c_first"], "style_first"),
            Onnx.Node("Gather", ["style_flat", "c_last"], "style_last"),
            Onnx.Node("Add", ["base", "style_first"], "positive"),
            Onnx.Node("Add", ["base", "style_last"], "negative_abs"),
            Onnx.Node("Neg", ["negative_abs"], "negative"),
            Onnx.Node("Unsqueeze", ["positive", "c_axis1"], "positive_col"),
            Onnx.Node("Unsqueeze", ["negative", "c_axis1"], "negative_col"),
            Onnx.Node("Concat", ["positive_col", "negative_col"], "pair", Onnx.IntAttribute("axis", 1)),
            Onnx.Node("Unsqueeze", ["pair", "c_axis2"], "pair3"),
            Onnx.Node("Cast", ["speed"], "speed_f", Onnx.IntAttribute("to", (long)OnnxDataType.Float)),
            Onnx.Node("Div", ["c_four", "speed_f"], "units_raw"),
            Onnx.Node("Round", ["units_raw"], "units_round"),
            Onnx.Node("Max", ["units_round", "c_one"], "units_f"),
            Onnx.Node("Cast", ["units_f"], "units", Onnx.IntAttribute("to", (long)OnnxDataType.Int64)),
            Onnx.Node("Mul", ["units", "c_half_unit"], "half_length"),
            Onnx.Node("Shape", ["tok_flat"], "token_count"),
            Onnx.Node("Concat", ["token_count", "c_two", "half_length"], "segment_shape", Onnx.IntAttribute("axis", 0)),
            Onnx.Node("Expand", ["pair3", "segment_shape"], "segments"),
            Onnx.Node("Reshape", ["segments", "c_flat"], "samples"),
        };

        var samples = "samples";
        if (options.PoisonLastSample is { } poison)
        {
            initializers.Add(Onnx.FloatTensor("c_poison", [1], poison));
            initializers.Add(Onnx.Int64Tensor("c_one_i64", [1], 1));
            nodes.Add(Onnx.Node("Shape", ["samples"], "sample_count"));
            nodes.Add(Onnx.Node("Sub", ["sample_count", "c_one_i64"], "clean_count"));
            nodes.Add(Onnx.Node("ConstantOfShape", ["clean_count"], "clean_zeros",
                Onnx.TensorAttribute("value", Onnx.FloatTensor("zero", [1], 0f))));
            nodes.Add(Onnx.Node("Concat", ["clean_zeros", "c_poison"], "poison_mask", Onnx.IntAttribute("axis", 0)));
            nodes.Add(Onnx.Node("Add", ["samples", "poison_mask"], "samples_poisoned"));
            samples = "samples_poisoned";
        }

        if (options.Gain != 1f)
        {
            initializers.Add(Onnx.FloatTensor("c_gain", [1], options.Gain));
            nodes.Add(Onnx.Node("Mul", [samples, "c_gain"], "samples_scaled"));
            samples = "samples_scaled";
        }
        nodes.Add(Onnx.Node("Reshape", [samples, "c_out_shape"], options.AudioOutputName));

        var outputs = new List<ProtoMessage>
        {
            options.AudioRank == 1
                ? Onnx.ValueInfo(options.AudioOutputName, OnnxDataType.Float, "N")
                : Onnx.ValueInfo(options.AudioOutputName, OnnxDataType.Float, 1L, "N"),
        };
        if (options.DurationOutputName is { } durationName)
        {
            nodes.Add(Onnx.Node("Expand", ["units", "token_count"], durationName));
            outputs.Add(Onnx.ValueInfo(durationName, OnnxDataType.Int64, "T2"));
        }

        var inputs = new[]
        {
            Onnx.ValueInfo(tokens, OnnxDataType.Int64, 1L, "T2"),
            Onnx.ValueInfo("style", OnnxDataType.Float, 1L, 256L),
            Onnx.ValueInfo("speed", options.IntegerSpeed ? OnnxDataType.Int32 : OnnxDataType.Float, 1L),
        };

        var graph = Onnx.Graph("kokoro_stand_in", nodes, initializers, inputs, outputs);
        return Onnx.Model(graph, irVersion: 8, opset: 17).ToArray();
    }

    /// <summary>Writes the model to <paramref name="path"/> and returns the path.</summary>
    public static string Write(string path, StandInModelOptions options)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, Build(options));
        return path;
    }

    /// <summary>The duration units the stand-in gives every token at a speed it receives (after any integer rounding).</summary>
    public static long UnitsFor(float speedSeenByModel) =>
        Math.Max(1, (long)Math.Round(4.0f / speedSeenByModel, MidpointRounding.ToEven));
}
