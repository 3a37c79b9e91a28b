namespace PatternTts.Service.SelfTest;

/// <summary>What one sentence became: its audio at speed 1 and 2, with the figures the checks read.</summary>
/// <param name="Samples">24 kHz samples at speed 1, as the pipeline hands them to the encoder.</param>
/// <param name="FastSamples">How many samples the same sentence gave at speed 2.</param>
/// <param name="PhonemeTokens">Phoneme tokens the model spoke (pads excluded).</param>
/// <param name="Words">Word times in seconds from the start of the sentence.</param>
public sealed record SpokenSentence(float[] Samples, int FastSamples, int PhonemeTokens, IReadOnlyList<WordTiming> Words);

/// <summary>
/// Checks a real model's speech for what a broken model, export or runtime produces: silence, NaN, clipping,
/// durations no speech has, a speed that does nothing, timestamps that run backwards.
/// </summary>
public static class SelfTestChecks
{
    /// <summary>Kokoro speaks about 12-15 phoneme tokens a second; this allows slow and fast voices and pauses.</summary>
    public const double MinSecondsPerToken = 0.03;

    public const double MaxSecondsPerToken = 0.25;

    /// <summary>Speed 2 should take about half as long; pauses and rounding of durations keep it from exactly half.</summary>
    public const double MinFastRatio = 0.35;

    public const double MaxFastRatio = 0.65;

    private const float SilentPeak = 0.01f;
    private const float FullScale = 0.999f;
    private const double MaxClippedShare = 0.001;

    public static IEnumerable<string> Problems(SpokenSentence sentence)
    {
        var samples = sentence.Samples;
        if (samples.Any(s => !float.IsFinite(s)))
        {
            yield return "NaN or Inf in the audio";
            yield break;
        }

        var peak = samples.Length == 0 ? 0f : samples.Max(MathF.Abs);
        if (peak < SilentPeak)
        {
            yield return $"silent (peak {peak:0.####} of full scale)";
            yield break;
        }

        var clipped = samples.Count(s => MathF.Abs(s) >= FullScale);
        if (clipped > samples.Length * MaxClippedShare)
        {
            yield return $"clipped ({100.0 * clipped / samples.Length:0.##} % of samples at full scale)";
        }

        var seconds = samples.Length / (double)AudioConstants.SampleRate;
        var perToken = sentence.PhonemeTokens == 0 ? double.PositiveInfinity : seconds / sentence.PhonemeTokens;
        if (perToken is < MinSecondsPerToken or > MaxSecondsPerToken)
        {
            yield return $"implausible duration: {seconds:0.00} s for {sentence.PhonemeTokens} phoneme tokens " +
                $"({perToken:0.000} s each; speech takes {MinSecondsPerToken}-{MaxSecondsPerToken} s)";
        }

        var ratio = samples.Length == 0 ? 0 : sentence.FastSamples / (double)samples.Length;
        if (ratio is < MinFastRatio or > MaxFastRatio)
        {
            yield return $"speed 2.0 gave {ratio:0.00} of the speed 1.0 duration (expected about half)";
        }

        for (var i = 0; i < sentence.Words.Count; i++)
        {
            var word = sentence.Words[i];
            if (word.EndTime < word.StartTime || i > 0 && word.StartTime < sentence.Words[i - 1].StartTime)
            {
                yield return $"timestamps run backwards at '{word.Word}' ({word.StartTime:0.000}-{word.EndTime:0.000} s)";
                yield break;
            }
        }
    }
}
