using System.Buffers.Binary;
using System.Text;
using Concentus;
using Concentus.Enums;

namespace PatternTts.Service.Audio;

/// <summary>
/// Opus (Concentus) in Ogg (RFC 7845), mono at one of Opus's rates (8, 12, 16, 24 or 48 kHz) in, 20 ms frames; the header names the rate the client asked for. Granule positions count 48 kHz samples
/// as the spec requires; the last page's granule trims the encoder lookahead and the silence padding so the
/// decoded length matches the input. A page is cut after every write (and every 20 packets) so players start early.
/// </summary>
internal sealed class OggOpusEncoder : IAudioEncoder
{
    private const int GranuleRate = 48_000;
    private const int PacketsPerPage = 20;
    private const int Bitrate = 48_000;
    private const int MaxPacketBytes = 1275;

    private readonly Stream _output;
    private readonly IOpusEncoder _encoder;
    private readonly OggPageWriter _pages;
    private readonly int _lookahead;
    private readonly int _inputRate;
    private readonly int _frameSamples;
    private readonly int _granuleMultiplier;
    private readonly float[] _frame;
    private readonly byte[] _packet = new byte[MaxPacketBytes];
    private int _frameFill;
    private long _inputSamples;
    private long _encodedSamples;
    private bool _headersWritten;
    private bool _completed;

    /// <param name="codecRate">The rate the samples arrive at: one Opus encodes (see <see cref="CodecRate"/>).</param>
    /// <param name="inputRate">The rate the client asked for, kept in the header for decoders that restore it.</param>
    public OggOpusEncoder(Stream output, int codecRate = AudioConstants.SampleRate, int inputRate = AudioConstants.SampleRate)
    {
        _output = output;
        _inputRate = inputRate;
        _frameSamples = codecRate / 50;
        _granuleMultiplier = GranuleRate / codecRate;
        _frame = new float[_frameSamples];
        _encoder = OpusCodecFactory.CreateEncoder(codecRate, 1, OpusApplication.OPUS_APPLICATION_AUDIO);
        _encoder.Bitrate = Bitrate;
        // Complexity 5 of 10: about twice the speed of the default for speech at 48 kbit/s, where the ear hears no loss.
        _encoder.Complexity = 5;
        _lookahead = _encoder.Lookahead;
        _pages = new OggPageWriter((uint)Random.Shared.Next());
    }

    public AudioFormat Format => AudioFormat.Opus;

    /// <summary>The rate Opus encodes a requested rate at: itself when Opus has it, else 48 kHz (22.05 and 44.1 kHz).</summary>
    public static int CodecRate(int sampleRate) => sampleRate is 8_000 or 12_000 or 16_000 or 24_000 or 48_000 ? sampleRate : GranuleRate;

    private int PreSkip => _lookahead * _granuleMultiplier;

    public async ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        EncoderGuards.ThrowIfCompleted(_completed);
        await EnsureHeadersAsync(cancellationToken);
        _inputSamples += samples.Length;

        var offset = 0;
        while (offset < samples.Length)
        {
            var count = Math.Min(_frameSamples - _frameFill, samples.Length - offset);
            samples.Span.Slice(offset, count).CopyTo(_frame.AsSpan(_frameFill));
            _frameFill += count;
            offset += count;
            if (_frameFill == _frameSamples && EncodeFrame() is { } page)
            {
                await _output.WriteAsync(page, cancellationToken);
            }
        }

        if (_pages.PendingPackets > 0)
        {
            await _output.WriteAsync(_pages.CutPage(Granule(_encodedSamples)), cancellationToken);
        }
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        EncoderGuards.ThrowIfCompleted(_completed);
        await EnsureHeadersAsync(cancellationToken);
        _completed = true;

        // Encode until the lookahead has left the encoder too, padding with silence.
        while (_encodedSamples < _inputSamples + _lookahead || _frameFill > 0)
        {
            _frame.AsSpan(_frameFill).Clear();
            _frameFill = _frameSamples;
            if (EncodeFrame() is { } page)
            {
                await _output.WriteAsync(page, cancellationToken);
            }
        }

        var finalGranule = PreSkip + _inputSamples * _granuleMultiplier;
        await _output.WriteAsync(_pages.CutPage(finalGranule, endOfStream: true), cancellationToken);
        await _output.FlushAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        (_encoder as IDisposable)?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Encodes the full frame buffer; returns a page to write when the pending one is full.</summary>
    private byte[]? EncodeFrame()
    {
        for (var i = 0; i < _frameSamples; i++)
        {
            _frame[i] = Pcm16.Clip(_frame[i]);
        }

        var length = _encoder.Encode(_frame, _frameSamples, _packet, _packet.Length);
        if (length < 0)
        {
            throw new InvalidOperationException($"Opus encoding failed ({length}).");
        }

        _frameFill = 0;
        byte[]? page = null;
        if (_pages.PendingPackets >= PacketsPerPage || !_pages.Fits(length))
        {
            page = _pages.CutPage(Granule(_encodedSamples));
        }

        _pages.Add(_packet.AsSpan(0, length).ToArray());
        _encodedSamples += _frameSamples;
        return page;
    }

    private long Granule(long encodedSamples) => encodedSamples * _granuleMultiplier;

    private async ValueTask EnsureHeadersAsync(CancellationToken cancellationToken)
    {
        if (_headersWritten)
        {
            return;
        }

        _headersWritten = true;
        _pages.Add(BuildOpusHead());
        var head = _pages.CutPage(0, beginOfStream: true);
        _pages.Add(BuildOpusTags());
        var tags = _pages.CutPage(0);
        await _output.WriteAsync(head, cancellationToken);
        await _output.WriteAsync(tags, cancellationToken);
    }

    private byte[] BuildOpusHead()
    {
        var head = new byte[19];
        var span = head.AsSpan();
        "OpusHead"u8.CopyTo(span);
        span[8] = 1;
        span[9] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(span[10..], (ushort)PreSkip);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)_inputRate);
        BinaryPrimitives.WriteInt16LittleEndian(span[16..], 0);
        span[18] = 0;
        return head;
    }

    private static byte[] BuildOpusTags()
    {
        var vendor = Encoding.UTF8.GetBytes("PatternTts (Concentus)");
        var tags = new byte[8 + 4 + vendor.Length + 4];
        var span = tags.AsSpan();
        "OpusTags"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)vendor.Length);
        vendor.CopyTo(span[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(12 + vendor.Length)..], 0);
        return tags;
    }
}
