namespace PatternTts.Service.Synthesis.Espeak;

/// <summary>
/// Converts espeak-ng's 22.05 kHz output to the service's 24 kHz. Only upsampling is needed, where linear
/// interpolation adds no aliasing and its slight treble loss is inaudible on synthetic speech.
/// </summary>
public static class Resampler
{
    public static float[] ToFloat(ReadOnlySpan<short> samples, int fromRate, int toRate)
    {
        if (samples.Length == 0)
        {
            return [];
        }

        var length = (int)((long)samples.Length * toRate / fromRate);
        var result = new float[length];
        var step = (double)fromRate / toRate;
        for (var i = 0; i < length; i++)
        {
            var position = i * step;
            var index = (int)position;
            var fraction = (float)(position - index);
            var a = samples[index] / 32768f;
            var b = index + 1 < samples.Length ? samples[index + 1] / 32768f : a;
            result[i] = a + (b - a) * fraction;
        }

        return result;
    }
}
