using System.Buffers.Binary;

namespace PatternTts.Service.Audio;

/// <summary>
/// RIFF/WAVE PCM s16le 24 kHz mono. Seekable outputs get exact chunk sizes patched in at completion;
/// streamed outputs carry 0xFFFFFFFF sizes, which ffmpeg and browsers read as "until end of stream".
/// </summary>
internal sealed class WavEncoder(Stream output) : IAudioEncoder
{
    private const int HeaderSize = 44;
    private const uint StreamingSize = uint.MaxValue;

    private readonly long _headerPosition = output.CanSeek ? output.Position : -1;
    private bool _headerWritten;
    private bool _completed;
    private long _dataBytes;

    public AudioFormat Format => AudioFormat.Wav;

    public async ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        EncoderGuards.ThrowIfCompleted(_completed);
        await EnsureHeaderAsync(cancellationToken);
        await PcmEncoder.WritePcmAsync(output, samples, cancellationToken);
        _dataBytes += samples.Length * 2L;
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        EncoderGuards.ThrowIfCompleted(_completed);
        _completed = true;
        await EnsureHeaderAsync(cancellationToken);

        // RIFF sizes are 32-bit; a stream past 4 GiB keeps the streaming placeholders.
        if (_headerPosition >= 0 && _dataBytes <= uint.MaxValue - HeaderSize)
        {
            var end = output.Position;
            output.Seek(_headerPosition, SeekOrigin.Begin);
            await output.WriteAsync(BuildHeader((uint)(_dataBytes + HeaderSize - 8), (uint)_dataBytes), cancellationToken);
            output.Seek(end, SeekOrigin.Begin);
        }

        await output.FlushAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async ValueTask EnsureHeaderAsync(CancellationToken cancellationToken)
    {
        if (_headerWritten)
        {
            return;
        }

        _headerWritten = true;
        await output.WriteAsync(BuildHeader(StreamingSize, StreamingSize), cancellationToken);
    }

    internal static byte[] BuildHeader(uint riffSize, uint dataSize)
    {
        const int channels = 1;
        const int bitsPerSample = 16;
        const int blockAlign = channels * bitsPerSample / 8;

        var header = new byte[HeaderSize];
        var span = header.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], riffSize);
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], channels);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], AudioConstants.SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], AudioConstants.SampleRate * blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], bitsPerSample);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[40..], dataSize);
        return header;
    }
}
