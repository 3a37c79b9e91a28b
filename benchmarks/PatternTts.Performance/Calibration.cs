using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using PatternTts.Service.Audio;
using PatternTts.Service.Synthesis.Kokoro;

namespace PatternTts.Performance;

/// <summary>How the cost model was sized on this machine and where it landed.</summary>
/// <param name="CoreSecondsPerAudioSecond">Measured on one thread (intra-op 1) for a 100-token call: the target is 2.</param>
/// <param name="TokensPerAudioSecond">Phoneme tokens per second of its output at speed 1 (Kokoro: about 12 to 15).</param>
public sealed record CalibrationResult(string ModelPath, CostModelShape Shape, double CoreSecondsPerAudioSecond, double TokensPerAudioSecond, string Machine);

/// <summary>
/// Sizes the cost model so one second of 24 kHz audio costs about two CPU-core-seconds here, as Kokoro fp32 does
/// (published ONNX figures: real-time factor 0.51 to 0.57 on 4 vCPU, 2.0 to 2.3 core-seconds per second). A probe
/// model measures what one decoder layer-step costs on this CPU; the decoder's depth and steps per frame are then
/// chosen for the target (keeping about 82 M parameters), and the chosen model is measured again.
/// </summary>
public static class Calibration
{
    public const double TargetCoreSeconds = 2.0;
    private const int TotalLayers = 78;
    private static readonly long[] ProbeTokens = [.. Enumerable.Range(0, 48).Select(i => (long)(i % 170 + 1))];

    /// <summary>The calibrated model of an earlier run on this machine when its files are still there, else a new calibration.</summary>
    public static async Task<CalibrationResult> RunAsync(string directory)
    {
        var saved = Path.Combine(directory, "calibration.json");
        if (File.Exists(saved)
            && System.Text.Json.JsonSerializer.Deserialize<CalibrationResult>(await File.ReadAllTextAsync(saved)) is { } earlier
            && File.Exists(earlier.ModelPath) && File.Exists(earlier.ModelPath + ".data") && earlier.Machine == Environment.MachineName)
        {
            return earlier;
        }

        var result = await CalibrateAsync(directory);
        await File.WriteAllTextAsync(saved, System.Text.Json.JsonSerializer.Serialize(result));
        return result;
    }

    /// <summary>
    /// Measures a probe, sizes the decoder for the target, and measures again; up to three rounds, as a busy virtual
    /// machine's figures wander, until the model lands within 7 % of the target.
    /// </summary>
    private static async Task<CalibrationResult> CalibrateAsync(string directory)
    {
        var shape = new CostModelShape(StepsPerFrame: 10, EncoderLayers: 28, DecoderLayers: 50);
        var (cost, tokensPerSecond) = await MeasureAsync(CostModel.Write(directory, shape));
        for (var round = 0; round < 3 && Math.Abs(cost / TargetCoreSeconds - 1) > 0.07; round++)
        {
            var layerSteps = shape.DecoderLayers * shape.StepsPerFrame * TargetCoreSeconds / cost;
            var (steps, decoder) = CostModelShape.StepChoices
                .SelectMany(r => Enumerable.Range(30, 41).Select(d => (r, d)))
                .MinBy(choice => Math.Abs(choice.r * choice.d - layerSteps));
            var next = new CostModelShape(steps, EncoderLayers: TotalLayers - decoder, DecoderLayers: decoder);
            if (next == shape)
            {
                break;
            }

            Delete(directory, shape);
            shape = next;
            (cost, tokensPerSecond) = await MeasureAsync(CostModel.Write(directory, shape));
        }

        return new CalibrationResult(Path.Combine(directory, shape.FileName), shape, cost, tokensPerSecond, Environment.MachineName);
    }

    private static void Delete(string directory, CostModelShape shape)
    {
        File.Delete(Path.Combine(directory, shape.FileName));
        File.Delete(Path.Combine(directory, shape.FileName + ".data"));
    }

    /// <summary>Core-seconds per audio second on one thread (best of two after a warm-up), and tokens per audio second.</summary>
    private static async Task<(double CoreSeconds, double TokensPerSecond)> MeasureAsync(string path)
    {
        using var model = new OnnxKokoroModel(path, intraOpThreads: 1, useGpu: false, NullLogger<OnnxKokoroModel>.Instance);
        var style = new float[OnnxKokoroModel.StyleLength];
        var best = double.MaxValue;
        double audioSeconds = 0;
        for (var run = 0; run < 3; run++)
        {
            var started = Stopwatch.GetTimestamp();
            var output = await model.RunAsync(ProbeTokens, style, 1f, CancellationToken.None);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            audioSeconds = output.Audio.Length / (double)AudioConstants.SampleRate;
            if (run > 0)
            {
                best = Math.Min(best, elapsed / audioSeconds);
            }
        }

        return (best, ProbeTokens.Length / audioSeconds);
    }
}
