using System.Runtime.InteropServices;
using PatternTts.Service.Synthesis.Kokoro;
using PatternTts.Testing;

namespace PatternTts.Performance;

/// <summary>
/// The layers of the cost model. Kokoro's compute has two parts that this imitates: an encoder whose work grows with
/// the phoneme tokens, and a decoder whose work grows with the output samples (Kokoro's iSTFTNet decoder applies its
/// weights at many time steps per 600-sample frame). Here the decoder runs <see cref="StepsPerFrame"/> steps per
/// frame, each a stack of <see cref="Hidden"/>² matrix products, and the last step writes 600 / steps samples.
/// </summary>
/// <param name="FramesPerToken">Duration frames per token at speed 1: 3 × 600 samples = 75 ms, 13.3 tokens a second.</param>
public sealed record CostModelShape(int StepsPerFrame, int Hidden = 1024, int EncoderLayers = 30, int DecoderLayers = 51, int FramesPerToken = 3)
{
    public const int Vocabulary = 256;

    public static readonly int[] StepChoices = [.. Enumerable.Range(1, 600).Where(r => 600 % r == 0)];

    public long Parameters =>
        2L * Vocabulary * Hidden
        + (long)(EncoderLayers + DecoderLayers) * Hidden * Hidden
        + (long)Hidden * SamplesPerStep;

    public int SamplesPerStep => IKokoroModel.SamplesPerDurationUnit / StepsPerFrame;

    public string FileName => $"cost-model-h{Hidden}-e{EncoderLayers}-d{DecoderLayers}-r{StepsPerFrame}.onnx";
}

/// <summary>
/// Writes, at benchmark time, an ONNX model with Kokoro's signature (tokens [1, T+2] int64, style [1, 256] float,
/// speed [1] float → audio [N] float) and about Kokoro's 82 M float parameters, whose compute grows like Kokoro's. Its
/// weights are random: it speaks noise, never serves traffic, and says so in its metadata, which the service reports.
/// The weights go to a side file as ONNX external data, so 330 MB never sit in one protobuf message.
/// </summary>
public static class CostModel
{
    public const string Label = "cost model for benchmarks (random weights, not Kokoro)";

    public static string Write(string directory, CostModelShape shape)
    {
        Directory.CreateDirectory(directory);
        var modelPath = Path.Combine(directory, shape.FileName);
        if (File.Exists(modelPath))
        {
            return modelPath;
        }

        var dataName = shape.FileName + ".data";
        var initializers = new List<ProtoMessage>();
        using (var data = new FileStream(Path.Combine(directory, dataName), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            var random = new XorShift(0x5eed_c057u);
            void Weights(string name, int rows, int columns)
            {
                var offset = data.Position;
                var values = new float[(long)rows * columns];
                var scale = MathF.Sqrt(3f / rows);
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = random.NextSigned() * scale;
                }

                data.Write(MemoryMarshal.AsBytes(values.AsSpan()));
                initializers.Add(Onnx.ExternalFloatTensor(name, [rows, columns], dataName, offset, data.Position - offset));
            }

            Weights("embedding", CostModelShape.Vocabulary, shape.Hidden);
            Weights("style_projection", 256, shape.Hidden);
            for (var i = 0; i < shape.EncoderLayers; i++)
            {
                Weights($"encoder_{i}", shape.Hidden, shape.Hidden);
            }

            for (var i = 0; i < shape.DecoderLayers; i++)
            {
                Weights($"decoder_{i}", shape.Hidden, shape.Hidden);
            }

            Weights("to_samples", shape.Hidden, shape.SamplesPerStep);
        }

        initializers.AddRange(
        [
            Onnx.Int64Tensor("c_flat", [1], -1),
            Onnx.Int64Tensor("c_rows", [2], -1, shape.Hidden),
            Onnx.Int64Tensor("c_hidden", [1], shape.Hidden),
            Onnx.Int64Tensor("c_axis1", [1], 1),
            Onnx.Int64Tensor("c_steps_per_frame", [1], shape.StepsPerFrame),
            Onnx.FloatTensor("c_frames", [1], shape.FramesPerToken),
            Onnx.FloatTensor("c_one", [1], 1f),
            Onnx.FloatTensor("c_gain", [1], 0.3f),
        ]);

        var nodes = new List<ProtoMessage>
        {
            Onnx.Node("Reshape", ["tokens", "c_flat"], "token_ids"),
            Onnx.Node("Gather", ["embedding", "token_ids"], "embedded"),
            Onnx.Node("MatMul", ["style", "style_projection"], "styled"),
            Onnx.Node("Add", ["embedded", "styled"], "encoder_in"),
        };
        var x = "encoder_in";
        for (var i = 0; i < shape.EncoderLayers; i++)
        {
            nodes.Add(Onnx.Node("MatMul", [x, $"encoder_{i}"], $"encoder_{i}_mm"));
            nodes.Add(Onnx.Node("Tanh", [$"encoder_{i}_mm"], x = $"encoder_{i}_out"));
        }

        // Durations: every token lasts round(frames / speed) frames, at least one, as Kokoro's predictor would.
        nodes.AddRange(
        [
            Onnx.Node("Div", ["c_frames", "speed"], "frames_raw"),
            Onnx.Node("Round", ["frames_raw"], "frames_round"),
            Onnx.Node("Max", ["frames_round", "c_one"], "frames_f"),
            Onnx.Node("Cast", ["frames_f"], "frames", Onnx.IntAttribute("to", (long)OnnxDataType.Int64)),
            Onnx.Node("Mul", ["frames", "c_steps_per_frame"], "steps"),
            Onnx.Node("Shape", ["token_ids"], "token_count"),
            Onnx.Node("Concat", ["token_count", "steps", "c_hidden"], "expanded_shape", Onnx.IntAttribute("axis", 0)),
            Onnx.Node("Unsqueeze", [x, "c_axis1"], "encoded_3d"),
            Onnx.Node("Expand", ["encoded_3d", "expanded_shape"], "upsampled"),
            Onnx.Node("Reshape", ["upsampled", "c_rows"], "decoder_in"),
        ]);
        var y = "decoder_in";
        for (var i = 0; i < shape.DecoderLayers; i++)
        {
            nodes.Add(Onnx.Node("MatMul", [y, $"decoder_{i}"], $"decoder_{i}_mm"));
            nodes.Add(Onnx.Node("Tanh", [$"decoder_{i}_mm"], y = $"decoder_{i}_out"));
        }

        nodes.AddRange(
        [
            Onnx.Node("MatMul", [y, "to_samples"], "samples_mm"),
            Onnx.Node("Tanh", ["samples_mm"], "samples_tanh"),
            Onnx.Node("Mul", ["samples_tanh", "c_gain"], "samples"),
            Onnx.Node("Reshape", ["samples", "c_flat"], "audio"),
        ]);

        var graph = Onnx.Graph(
            "kokoro_cost_model",
            nodes,
            initializers,
            [
                Onnx.ValueInfo("tokens", OnnxDataType.Int64, 1L, "T2"),
                Onnx.ValueInfo("style", OnnxDataType.Float, 1L, 256L),
                Onnx.ValueInfo("speed", OnnxDataType.Float, 1L),
            ],
            [Onnx.ValueInfo("audio", OnnxDataType.Float, "N")]);
        var metadata = new Dictionary<string, string>
        {
            [KokoroModelInfo.StandInMetadataKey] = Label,
            ["parameters"] = shape.Parameters.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        File.WriteAllBytes(modelPath, Onnx.Model(graph, irVersion: 8, opset: 17, metadata).ToArray());
        return modelPath;
    }

    /// <summary>A small deterministic generator: the same weights on every machine, no allocation per value.</summary>
    private struct XorShift(uint state)
    {
        private uint _state = state;

        public float NextSigned()
        {
            _state ^= _state << 13;
            _state ^= _state >> 17;
            _state ^= _state << 5;
            return (_state >> 8) * (2f / (1 << 24)) - 1f;
        }
    }
}
