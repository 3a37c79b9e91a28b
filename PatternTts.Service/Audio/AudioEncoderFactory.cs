namespace PatternTts.Service.Audio;

/// <summary>
/// Creates one encoder per response stream; holds no state of its own, so a singleton is fine. An encoding at
/// another rate than the engines' 24 kHz gets a band-limited <see cref="ResamplingEncoder"/> in front.
/// </summary>
public sealed class AudioEncoderFactory(ILogger<AudioEncoderFactory> logger) : IAudioEncoderFactory
{
    /// <summary>Resolved from PATH, as the container image and CI both install Debian's ffmpeg.</summary>
    private const string FfmpegPath = "ffmpeg";

    public IAudioEncoder Create(AudioEncoding encoding, Stream output)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        ArgumentNullException.ThrowIfNull(output);
        var rate = encoding.SampleRate;
        var codecRate = encoding.Format == AudioFormat.Opus ? OggOpusEncoder.CodecRate(rate) : rate;
        IAudioEncoder encoder = encoding.Format switch
        {
            AudioFormat.Pcm => new PcmEncoder(output),
            AudioFormat.Wav => new WavEncoder(output, rate, encoding.Codec),
            AudioFormat.Mp3 => new Mp3Encoder(output, rate),
            AudioFormat.Flac => new FlacEncoder(output, rate),
            AudioFormat.Opus => new OggOpusEncoder(output, codecRate, rate),
            AudioFormat.Aac => new AacFfmpegEncoder(output, FfmpegPath, logger, rate),
            AudioFormat.Ulaw => new G711Encoder(output, SampleCodec.Ulaw),
            AudioFormat.Alaw => new G711Encoder(output, SampleCodec.Alaw),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding.Format, "Unsupported audio format."),
        };
        return codecRate == AudioConstants.SampleRate ? encoder : new ResamplingEncoder(encoder, AudioConstants.SampleRate, codecRate);
    }
}
