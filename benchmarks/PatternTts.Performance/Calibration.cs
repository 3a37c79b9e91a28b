using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using PatternTts.Service.Audio;
using PatternTts.Service.Synthesis.Kokoro;

namespace PatternTts.Performance;

/// <summary>How the cost model was sized on this machine and where it landed.</summary>
/// <param name="CoreSecondsPerAudioSecond">Measured on one thread (intra-op 1) for a 100-token call: the target is 2.</param>
/// <param name="TokensPerAudioSecond">Phoneme tokens per second of its output at speed 1 (Kokoro: about 12 to 15).</param>
public sealed record CalibrationResult(string ModelPath, CostModelShape Shape, double CoreSecondsPerAudioSecond, double TokensPerAudioSecond);

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
    private static readonly long[] ProbeTokens = [.. Enumerable.Range(0, 100).Select(i => (long)(i % 170 + 1))];

    public static async Task<CalibrationResult> RunAsync(string directory)
    {
        var probe = new CostModelShape(StepsPerFrame: 10, EncoderLayers: 28, DecoderLayers: 50);
        var (probeCost, _) = await MeasureAsync(CostModel.Write(directory, probe));
        var layerSteps = probe.DecoderLayers * probe.StepsPerFrame * TargetCoreSeconds / probeCost;
        var (steps, decoder) = CostModelShape.StepChoices
            .SelectMany(r => Enumerable.Range(30, 41).Select(d => (r, d)))
            .MinBy(choice => Math.Abs(choice.r * choice.d - layerSteps));
        var shape = new CostModelShape(steps, EncoderLayers: TotalLayers - decoder, DecoderLayers: decoder);
        var path = CostModel.Write(directory, shape);
        var (cost, tokensPerSecond) = await MeasureAsync(path);
        if (probe.FileName != shape.FileName)
        {
            File.Delete(Path.Combine(directory, probe.FileName));
            File.Delete(Path.Combine(directory, probe.FileName + ".data"));
        }

        return new CalibrationResult(path, shape, cost, tokensPerSecond);
    }

    /// <summary>Core-seconds per audio second on one thread (best of three after a warm-up), and tokens per audio second.</summary>
    private static async Task<(double CoreSeconds, double TokensPerSecond)> MeasureAsync(string path)
    {
        using var model = new OnnxKokoroModel(path, intraOpThreads: 1, useGpu: false, NullLogger<OnnxKokoroModel>.Instance);
        var style = new float[OnnxKokoroModel.StyleLength];
        var best = double.MaxValue;
        double audioSeconds = 0;
        for (var run = 0; run < 4; run++)
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
