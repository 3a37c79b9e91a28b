namespace PatternTts.Service.Audio;

public enum AudioFormat
{
    Mp3,
    Opus,
    Aac,
    Flac,
    Wav,
    Pcm,

    /// <summary>G.711 μ-law, raw 8-bit samples (telephony in North America and Japan).</summary>
    Ulaw,

    /// <summary>G.711 A-law, raw 8-bit samples (telephony elsewhere).</summary>
    Alaw,
}

public static class AudioFormats
{
    /// <summary>Every format the speech endpoint accepts, in OpenAI's spelling.</summary>
    public static readonly IReadOnlyList<string> Names = ["mp3", "opus", "aac", "flac", "wav", "pcm", "ulaw", "alaw"];

    public static bool TryParse(string? value, out AudioFormat format)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "mp3": format = AudioFormat.Mp3; return true;
            case "opus": format = AudioFormat.Opus; return true;
            case "aac": format = AudioFormat.Aac; return true;
            case "flac": format = AudioFormat.Flac; return true;
            case "wav": format = AudioFormat.Wav; return true;
            case "pcm": format = AudioFormat.Pcm; return true;
            case "ulaw" or "mulaw": format = AudioFormat.Ulaw; return true;
            case "alaw": format = AudioFormat.Alaw; return true;
            default: format = default; return false;
        }
    }

    public static string Name(this AudioFormat format) => format.ToString().ToLowerInvariant();

    /// <summary>Whether two encodings of this format, one after the other, still make one playable stream (no header, or frames that stand alone).</summary>
    public static bool Concatenates(this AudioFormat format) => format is AudioFormat.Pcm or AudioFormat.Mp3 or AudioFormat.Opus or AudioFormat.Aac or AudioFormat.Ulaw or AudioFormat.Alaw;

    // The legacy container's content types; its clients switch on them.
    public static string ContentType(this AudioFormat format) => format switch
    {
        AudioFormat.Mp3 => "audio/mpeg",
        AudioFormat.Opus => "audio/opus",
        AudioFormat.Aac => "audio/aac",
        AudioFormat.Flac => "audio/flac",
        AudioFormat.Wav => "audio/wav",
        AudioFormat.Pcm => "audio/pcm",
        AudioFormat.Ulaw => "audio/basic",
        AudioFormat.Alaw => "audio/x-alaw-basic",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}

public static class AudioConstants
{
    /// <summary>Kokoro speaks at 24 kHz mono; every engine works at this rate, and encoders resample from it.</summary>
    public const int SampleRate = 24_000;
}
