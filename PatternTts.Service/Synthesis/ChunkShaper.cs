namespace PatternTts.Service.Synthesis;

/// <summary>
/// Shapes each chunk's samples so consecutive chunks join without gaps, clicks or runs of model silence: trims
/// quiet edges (keeping a short margin), fades the cut points, and adds a pause that fits the punctuation.
/// </summary>
public static class ChunkShaper
{
    private const int SampleRate = Audio.AudioConstants.SampleRate;

    // -45 dBFS, the level the legacy container trims at.
    private const float SilenceThreshold = 0.0056f;
    private const int LeadMargin = SampleRate * 50 / 1000;
    private const int TailMargin = SampleRate * 80 / 1000;
    private const int FadeLength = SampleRate * 5 / 1000;

    public static float[] Shape(ReadOnlySpan<float> audio, Boundary end, float speed, float volume) =>
        Shape(audio, end, speed, volume, out _);

    /// <param name="trimmedLead">Model samples cut from the start, so word times taken from the model's output can be moved onto the result.</param>
    public static float[] Shape(ReadOnlySpan<float> audio, Boundary end, float speed, float volume, out int trimmedLead)
    {
        var (first, last) = VoicedRange(audio);
        var pause = PauseAfter(end, speed);
        if (first >= audio.Length)
        {
            trimmedLead = audio.Length;
            return new float[pause];
        }

        var from = Math.Max(0, first - LeadMargin);
        trimmedLead = from;
        var to = Math.Min(audio.Length, last + 1 + TailMargin);
        var voiced = to - from;
        var result = new float[voiced + pause];
        for (var i = 0; i < voiced; i++)
        {
            result[i] = Math.Clamp(audio[from + i] * volume, -1f, 1f);
        }

        Fade(result.AsSpan(0, voiced));
        return result;
    }

    /// <summary>The first and last samples above the silence threshold; first is the length when all is quiet.</summary>
    public static (int First, int Last) VoicedRange(ReadOnlySpan<float> audio)
    {
        var first = 0;
        while (first < audio.Length && Math.Abs(audio[first]) < SilenceThreshold)
        {
            first++;
        }

        var last = audio.Length - 1;
        while (last > first && Math.Abs(audio[last]) < SilenceThreshold)
        {
            last--;
        }

        return (first, last);
    }

    public static float[] Silence(TimeSpan duration) => new float[(int)Math.Round(duration.TotalSeconds * SampleRate)];

    /// <summary>A sentence end gets a breath, a clause a short rest; a cut inside a clause gets none.</summary>
    public static int PauseAfter(Boundary end, float speed) => end switch
    {
        Boundary.Sentence => (int)(SampleRate * 0.25 / speed),
        Boundary.Clause => (int)(SampleRate * 0.1 / speed),
        _ => 0,
    };

    private static void Fade(Span<float> samples)
    {
        var length = Math.Min(FadeLength, samples.Length / 2);
        for (var i = 0; i < length; i++)
        {
            var gain = (float)i / length;
            samples[i] *= gain;
            samples[^(i + 1)] *= gain;
        }
    }
}
