using System.Buffers.Binary;

namespace PatternTts.Service.Audio;

/// <summary>Float to signed 16-bit conversion shared by the PCM-based encoders.</summary>
internal static class Pcm16
{
    public static short ToInt16(float sample)
    {
        // NaN would otherwise convert to an undefined short; treat it as silence.
        if (float.IsNaN(sample))
        {
            return 0;
        }

        return (short)MathF.Round(Math.Clamp(sample, -1f, 1f) * short.MaxValue);
    }

    public static float Clip(float sample) => float.IsNaN(sample) ? 0f : Math.Clamp(sample, -1f, 1f);

    /// <summary>Writes little-endian s16 samples; <paramref name="destination"/> must hold 2 bytes per sample.</summary>
    public static void WriteLittleEndian(ReadOnlySpan<float> source, Span<byte> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(destination[(i * 2)..], ToInt16(source[i]));
        }
    }
}
