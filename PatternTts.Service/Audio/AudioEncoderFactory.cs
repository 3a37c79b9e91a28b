namespace PatternTts.Service.Audio;

/// <summary>Creates one encoder per response stream; holds no state of its own, so a singleton is fine.</summary>
public sealed class AudioEncoderFactory(ILogger<AudioEncoderFactory> logger) : IAudioEncoderFactory
{
    /// <summary>Resolved from PATH, as the container image and CI both install Debian's ffmpeg.</summary>
    private const string FfmpegPath = "ffmpeg";

    public IAudioEncoder Create(AudioFormat format, Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return format switch
        {
            AudioFormat.Pcm => new PcmEncoder(output),
            AudioFormat.Wav => new WavEncoder(output),
            AudioFormat.Mp3 => new Mp3Encoder(output),
            AudioFormat.Flac => new FlacEncoder(output),
            AudioFormat.Opus => new OggOpusEncoder(output),
            AudioFormat.Aac => new AacFfmpegEncoder(output, FfmpegPath, logger),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unsupported audio format."),
        };
    }
}
