using System.Buffers.Binary;

namespace PatternTts.Service.Audio;

/// <summary>
/// RIFF/WAVE mono: PCM s16le, or G.711 μ-law / A-law (format tags 7 and 6, 8 bits a sample), at any rate. Seekable outputs get exact chunk sizes patched in at completion;
/// streamed outputs carry 0xFFFFFFFF sizes, which ffmpeg and browsers read as "until end of stream".
/// </summary>
internal sealed class WavEncoder(Stream output, int sampleRate = AudioConstants.SampleRate, SampleCodec codec = SampleCodec.Pcm16) : IAudioEncoder
{
    // G.711 in WAV needs the 18-byte WAVEFORMATEX (cbSize = 0) and a fact chunk; PCM keeps the canonical 44 bytes.
    private const int PcmHeaderSize = 44;
    private const int CompandedHeaderSize = 58;
    private const uint StreamingSize = uint.MaxValue;

    private readonly long _headerPosition = output.CanSeek ? output.Position : -1;
    private readonly int _bytesPerSample = codec == SampleCodec.Pcm16 ? 2 : 1;
    private bool _headerWritten;
    private bool _completed;
    private long _dataBytes;

    public AudioFormat Format => AudioFormat.Wav;

    public async ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        EncoderGuards.ThrowIfCompleted(_completed);
        await EnsureHeaderAsync(cancellationToken);
        if (codec == SampleCodec.Pcm16)
        {
            await PcmEncoder.WritePcmAsync(output, samples, cancellationToken);
        }
        else
        {
            await G711Encoder.WriteCompandedAsync(output, codec, samples, cancellationToken);
        }

        _dataBytes += samples.Length * (long)_bytesPerSample;
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        EncoderGuards.ThrowIfCompleted(_completed);
        _completed = true;
        await EnsureHeaderAsync(cancellationToken);

        // RIFF sizes are 32-bit; a stream past 4 GiB keeps the streaming placeholders.
        var headerSize = HeaderSize(codec);
        if (_headerPosition >= 0 && _dataBytes <= uint.MaxValue - headerSize)
        {
            var end = output.Position;
            output.Seek(_headerPosition, SeekOrigin.Begin);
            await output.WriteAsync(BuildHeader((uint)(_dataBytes + headerSize - 8), (uint)_dataBytes, sampleRate, codec), cancellationToken);
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
        await output.WriteAsync(BuildHeader(StreamingSize, StreamingSize, sampleRate, codec), cancellationToken);
    }

    private static int HeaderSize(SampleCodec codec) => codec == SampleCodec.Pcm16 ? PcmHeaderSize : CompandedHeaderSize;

    internal static byte[] BuildHeader(uint riffSize, uint dataSize, int sampleRate = AudioConstants.SampleRate, SampleCodec codec = SampleCodec.Pcm16)
    {
        const int channels = 1;
        var pcm = codec == SampleCodec.Pcm16;
        var bitsPerSample = pcm ? 16 : 8;
        var blockAlign = channels * bitsPerSample / 8;
        ushort formatTag = codec switch
        {
            SampleCodec.Ulaw => 7,
            SampleCodec.Alaw => 6,
            _ => 1,
        };

        var header = new byte[HeaderSize(codec)];
        var span = header.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], riffSize);
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], pcm ? 16u : 18u);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], formatTag);
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], channels);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], (uint)(sampleRate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], (ushort)bitsPerSample);
        var data = span[36..];
        if (!pcm)
        {
            // cbSize, then the fact chunk's sample count (one byte a sample; the streaming placeholder when unknown).
            BinaryPrimitives.WriteUInt16LittleEndian(span[36..], 0);
            "fact"u8.CopyTo(span[38..]);
            BinaryPrimitives.WriteUInt32LittleEndian(span[42..], 4);
            BinaryPrimitives.WriteUInt32LittleEndian(span[46..], dataSize);
            data = span[50..];
        }

        "data"u8.CopyTo(data);
        BinaryPrimitives.WriteUInt32LittleEndian(data[4..], dataSize);
        return header;
    }
}
