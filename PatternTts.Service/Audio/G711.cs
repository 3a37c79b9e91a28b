namespace PatternTts.Service.Audio;

/// <summary>ITU-T G.711 companding of 16-bit linear samples to 8-bit μ-law and A-law, and back (for tests and checks).</summary>
public static class G711
{
    private const int UlawBias = 0x84;
    private const int UlawClip = 32635;

    public static byte Encode(SampleCodec codec, short sample) => codec switch
    {
        SampleCodec.Ulaw => ToUlaw(sample),
        SampleCodec.Alaw => ToAlaw(sample),
        _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "G.711 has μ-law and A-law only."),
    };

    public static byte ToUlaw(short sample)
    {
        int value = sample;
        var sign = (value >> 8) & 0x80;
        if (sign != 0)
        {
            value = -value;
        }

        value = Math.Min(value, UlawClip) + UlawBias;
        var exponent = Exponent(value >> 7);
        var mantissa = (value >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    public static short FromUlaw(byte code)
    {
        int value = ~code;
        var sign = value & 0x80;
        var exponent = (value >> 4) & 0x07;
        var mantissa = value & 0x0F;
        var magnitude = (((mantissa << 3) + UlawBias) << exponent) - UlawBias;
        return (short)(sign != 0 ? -magnitude : magnitude);
    }

    public static byte ToAlaw(short sample)
    {
        int value = sample;
        var sign = value >= 0 ? 0x80 : 0x00;
        if (value < 0)
        {
            value = Math.Min(-value - 1, 32767);
        }

        value >>= 3;
        byte code;
        if (value < 32)
        {
            code = (byte)(value >> 1);
        }
        else
        {
            var exponent = Exponent(value >> 5) + 1;
            code = (byte)((exponent << 4) | ((value >> exponent) & 0x0F));
        }

        return (byte)((code | sign) ^ 0x55);
    }

    public static short FromAlaw(byte code)
    {
        int value = code ^ 0x55;
        var sign = value & 0x80;
        var exponent = (value >> 4) & 0x07;
        var mantissa = value & 0x0F;
        var magnitude = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
        return (short)(sign != 0 ? magnitude : -magnitude);
    }

    /// <summary>The segment of a biased magnitude: the position of its highest set bit among eight.</summary>
    private static int Exponent(int value)
    {
        var exponent = 0;
        while (value > 1 && exponent < 7)
        {
            value >>= 1;
            exponent++;
        }

        return exponent;
    }
}
