namespace PatternTts.Service.Audio;

public enum AudioFormat
{
    Mp3,
    Opus,
    Aac,
    Flac,
    Wav,
    Pcm,
}

public static class AudioFormats
{
    /// <summary>Every format the speech endpoint accepts, in OpenAI's spelling.</summary>
    public static readonly IReadOnlyList<string> Names = ["mp3", "opus", "aac", "flac", "wav", "pcm"];

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
            default: format = default; return false;
        }
    }

    public static string Name(this AudioFormat format) => format.ToString().ToLowerInvariant();

    // The legacy container's content types; its clients switch on them.
    public static string ContentType(this AudioFormat format) => format switch
    {
        AudioFormat.Mp3 => "audio/mpeg",
        AudioFormat.Opus => "audio/opus",
        AudioFormat.Aac => "audio/aac",
        AudioFormat.Flac => "audio/flac",
        AudioFormat.Wav => "audio/wav",
        AudioFormat.Pcm => "audio/pcm",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}

public static class AudioConstants
{
    /// <summary>Kokoro speaks at 24 kHz mono; every engine and encoder works at this rate.</summary>
    public const int SampleRate = 24_000;
}
