namespace PatternTts.Service.Audio;

/// <summary>
/// Turns mono float samples at the encoder's rate (nominally in [-1, 1]) into one audio format, writing encoded bytes to
/// the output stream as soon as they exist so a player can start before synthesis ends.
/// </summary>
public interface IAudioEncoder : IAsyncDisposable
{
    AudioFormat Format { get; }

    /// <summary>Encodes the samples; may keep a tail buffered until a full frame is available.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken);

    /// <summary>Flushes buffered samples and writes the container trailer. Call once, after the last write.</summary>
    ValueTask CompleteAsync(CancellationToken cancellationToken);
}

public interface IAudioEncoderFactory
{
    /// <summary>
    /// Creates an encoder writing to <paramref name="output"/>. When the stream can seek (a whole-file response),
    /// containers that carry lengths (WAV) write exact ones; otherwise they use streaming placeholders.
    /// </summary>
    IAudioEncoder Create(AudioEncoding encoding, Stream output);
}

public static class AudioEncoderFactoryExtensions
{
    /// <summary>The format at the engines' own 24 kHz.</summary>
    public static IAudioEncoder Create(this IAudioEncoderFactory factory, AudioFormat format, Stream output) => factory.Create(new AudioEncoding(format), output);
}
