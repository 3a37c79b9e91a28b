namespace PatternTts.Service.Audio;

/// <summary>How the samples inside a WAV file are coded: linear 16-bit, or one of G.711's 8-bit laws.</summary>
public enum SampleCodec
{
    Pcm16,
    Ulaw,
    Alaw,
}

/// <summary>What an encoder makes: a format, the sample rate it carries, and for WAV the code of its samples.</summary>
/// <param name="SampleRate">The rate of the encoded audio; the service synthesizes at 24 kHz and resamples to it.</param>
public sealed record AudioEncoding(AudioFormat Format, int SampleRate = AudioConstants.SampleRate, SampleCodec Codec = SampleCodec.Pcm16)
{
    /// <summary>The rates the <c>sample_rate</c> field accepts, for every format.</summary>
    public static readonly IReadOnlyList<int> SampleRates = [8_000, 16_000, 22_050, 24_000, 44_100, 48_000];

    /// <summary>G.711 is telephone audio: 8 kHz unless asked otherwise. Everything else keeps the model's 24 kHz.</summary>
    public static int DefaultSampleRate(AudioFormat format, SampleCodec codec) =>
        format is AudioFormat.Ulaw or AudioFormat.Alaw || codec is not SampleCodec.Pcm16 ? 8_000 : AudioConstants.SampleRate;

    public static bool TryParseCodec(string? value, out SampleCodec codec)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "pcm" or "pcm_s16le" or "s16le": codec = SampleCodec.Pcm16; return true;
            case "ulaw" or "mulaw" or "pcm_mulaw": codec = SampleCodec.Ulaw; return true;
            case "alaw" or "pcm_alaw": codec = SampleCodec.Alaw; return true;
            default: codec = default; return false;
        }
    }

    /// <summary>The same choice at another format, as a download in a second format keeps the response's rate.</summary>
    public AudioEncoding As(AudioFormat format) => format == Format ? this : new AudioEncoding(format, SampleRate, format == AudioFormat.Wav ? Codec : SampleCodec.Pcm16);

    public override string ToString() => Codec == SampleCodec.Pcm16 ? $"{Format.Name()}@{SampleRate}" : $"{Format.Name()}/{Codec.ToString().ToLowerInvariant()}@{SampleRate}";
}
