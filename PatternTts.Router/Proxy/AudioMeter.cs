using System.Buffers.Binary;

namespace PatternTts.Router.Proxy;

/// <summary>
/// Measures an answer as it passes, without keeping it: its byte count and, for formats whose length can be read
/// from their bytes, its audio duration (WAV from its header and data size, raw PCM from the byte count at 24 kHz
/// 16-bit mono, MP3 by counting its frames). Other formats are compared by size.
/// </summary>
internal sealed class AudioMeter(string? mediaType)
{
    private const int PcmSampleRate = 24_000;
    private const int HeaderBytes = 64;

    private readonly byte[] _header = new byte[HeaderBytes];
    private readonly byte[] _mp3Tail = new byte[4];
    private int _headerLength;
    private long _mp3Skip;
    private int _mp3TailLength;
    private long _mp3Samples;
    private int _mp3SampleRate;

    public string? MediaType { get; } = mediaType;

    public long Bytes { get; private set; }

    public void Observe(ReadOnlySpan<byte> data)
    {
        if (_headerLength < HeaderBytes)
        {
            var take = Math.Min(HeaderBytes - _headerLength, data.Length);
            data[..take].CopyTo(_header.AsSpan(_headerLength));
            _headerLength += take;
        }

        if (MediaType is "audio/mpeg" or "audio/mp3")
        {
            CountMp3Frames(data);
        }

        Bytes += data.Length;
    }

    /// <summary>The audio's length, or null for a format read only by size.</summary>
    public TimeSpan? Duration => MediaType switch
    {
        "audio/wav" or "audio/x-wav" or "audio/wave" => WavDuration(),
        "audio/pcm" or "audio/l16" => TimeSpan.FromSeconds(Bytes / 2.0 / PcmSampleRate),
        "audio/mpeg" or "audio/mp3" when _mp3SampleRate > 0 => TimeSpan.FromSeconds((double)_mp3Samples / _mp3SampleRate),
        _ => null,
    };

    private TimeSpan? WavDuration()
    {
        var header = _header.AsSpan(0, _headerLength);
        if (header.Length < 44 || !header[..4].SequenceEqual("RIFF"u8) || !header[8..12].SequenceEqual("WAVE"u8))
        {
            return null;
        }

        var byteRate = BinaryPrimitives.ReadInt32LittleEndian(header[28..32]);
        var data = header.IndexOf("data"u8);
        return byteRate <= 0 || data < 0 ? null : TimeSpan.FromSeconds((Bytes - (data + 8)) / (double)byteRate);
    }

    // MPEG audio frame headers: sync 11 bits, version, layer III, bitrate and sample-rate indexes, padding.
    private void CountMp3Frames(ReadOnlySpan<byte> data)
    {
        var offset = 0;
        if (_mp3Skip > 0)
        {
            var skipped = (int)Math.Min(_mp3Skip, data.Length);
            _mp3Skip -= skipped;
            offset = skipped;
        }

        Span<byte> header = stackalloc byte[4];
        while (offset < data.Length)
        {
            var have = _mp3TailLength;
            _mp3Tail.AsSpan(0, have).CopyTo(header);
            var need = 4 - have;
            if (data.Length - offset < need)
            {
                data[offset..].CopyTo(_mp3Tail.AsSpan(have));
                _mp3TailLength += data.Length - offset;
                return;
            }

            data.Slice(offset, need).CopyTo(header[have..]);
            _mp3TailLength = 0;
            offset += need;
            if (FrameLength(header, out var samples, out var rate) is not { } length)
            {
                // Not a frame header here (an ID3 tag, junk): slide by one byte.
                header[1..].CopyTo(_mp3Tail);
                _mp3TailLength = 3;
                continue;
            }

            _mp3Samples += samples;
            _mp3SampleRate = rate;
            var rest = length - 4;
            var inData = Math.Min(rest, data.Length - offset);
            offset += inData;
            _mp3Skip = rest - inData;
        }
    }

    private static readonly int[] BitratesV1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0];
    private static readonly int[] BitratesV2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0];

    private static int? FrameLength(ReadOnlySpan<byte> h, out int samples, out int sampleRate)
    {
        samples = 0;
        sampleRate = 0;
        if (h[0] != 0xFF || (h[1] & 0xE0) != 0xE0 || ((h[1] >> 1) & 0x3) != 0x1)
        {
            return null;
        }

        var version = (h[1] >> 3) & 0x3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
        var bitrateIndex = h[2] >> 4;
        var rateIndex = (h[2] >> 2) & 0x3;
        if (version == 1 || bitrateIndex is 0 or 15 || rateIndex == 3)
        {
            return null;
        }

        int[] rates = version switch { 3 => [44100, 48000, 32000], 2 => [22050, 24000, 16000], _ => [11025, 12000, 8000] };
        sampleRate = rates[rateIndex];
        var bitrate = (version == 3 ? BitratesV1 : BitratesV2)[bitrateIndex] * 1000;
        var padding = (h[2] >> 1) & 0x1;
        samples = version == 3 ? 1152 : 576;
        return samples / 8 * bitrate / sampleRate + padding;
    }
}

/// <summary>The client's response body, measured by an <see cref="AudioMeter"/> on the way out.</summary>
internal sealed class MeteredResponseStream(Stream inner, Func<AudioMeter?> meter) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        meter()?.Observe(buffer.AsSpan(offset, count));
        inner.Write(buffer, offset, count);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        meter()?.Observe(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
