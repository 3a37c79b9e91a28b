using System.Buffers;
using System.Runtime.InteropServices;

namespace PatternTts.Service.Audio;

/// <summary>
/// FLAC, 16-bit mono at the asked rate, through libFLAC's stream encoder. libFLAC calls back synchronously, so the callbacks
/// only record bytes (with their byte offsets) and the encoder writes them to the output asynchronously after
/// each native call. On a seekable output libFLAC also gets seek/tell callbacks and rewrites STREAMINFO at the
/// end (total samples, MD5); streamed, those fields stay zero, which FLAC defines as unknown.
/// </summary>
internal sealed class FlacEncoder : IAudioEncoder
{
    // Level 5 is flac's default; higher levels cost several times the CPU for ~1% on speech.
    private const uint CompressionLevel = 5;
    private const int ChunkSamples = 4096;

    private readonly Stream _output;
    private readonly long _basePosition;
    private readonly Sink _sink = new();
    private readonly int[] _pcm = new int[ChunkSamples];
    private GCHandle _sinkHandle;
    private nint _encoder;
    private bool _completed;

    public unsafe FlacEncoder(Stream output, int sampleRate = AudioConstants.SampleRate)
    {
        _output = output;
        _basePosition = output.CanSeek ? output.Position : -1;
        _encoder = NativeLibraries.Open(FlacNative.EncoderNew, "FLAC__stream_encoder_new", FlacNative.Library, FlacNative.DebianPackage);

        _sinkHandle = GCHandle.Alloc(_sink);
        FlacNative.SetChannels(_encoder, 1);
        FlacNative.SetBitsPerSample(_encoder, 16);
        FlacNative.SetSampleRate(_encoder, (uint)sampleRate);
        FlacNative.SetCompressionLevel(_encoder, CompressionLevel);
        FlacNative.SetStreamableSubset(_encoder, 1);

        var seekable = _basePosition >= 0;
        var status = FlacNative.InitStream(
            _encoder,
            &WriteCallback,
            seekable ? &SeekCallback : null,
            seekable ? &TellCallback : null,
            0,
            GCHandle.ToIntPtr(_sinkHandle));
        if (status != FlacNative.InitStatusOk)
        {
            Release();
            throw new InvalidOperationException($"FLAC__stream_encoder_init_stream failed (status {status}).");
        }
    }

    public AudioFormat Format => AudioFormat.Flac;

    public async ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        EncoderGuards.ThrowIfCompleted(_completed);
        ObjectDisposedException.ThrowIf(_encoder == 0, this);
        for (var offset = 0; offset < samples.Length; offset += ChunkSamples)
        {
            Process(samples.Span.Slice(offset, Math.Min(ChunkSamples, samples.Length - offset)));
        }

        await DrainAsync(cancellationToken);
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        EncoderGuards.ThrowIfCompleted(_completed);
        ObjectDisposedException.ThrowIf(_encoder == 0, this);
        _completed = true;
        var ok = FlacNative.Finish(_encoder) != 0;
        _sink.ThrowIfFailed();
        if (!ok)
        {
            throw new InvalidOperationException($"FLAC__stream_encoder_finish failed: {StateString()}.");
        }

        await DrainAsync(cancellationToken);
        if (_basePosition >= 0)
        {
            _output.Seek(_basePosition + _sink.End, SeekOrigin.Begin);
        }

        await _output.FlushAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        Release();
        return ValueTask.CompletedTask;
    }

    private unsafe void Process(ReadOnlySpan<float> samples)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            _pcm[i] = Pcm16.ToInt16(samples[i]);
        }

        bool ok;
        fixed (int* pcm = _pcm)
        {
            ok = FlacNative.ProcessInterleaved(_encoder, pcm, (uint)samples.Length) != 0;
        }

        _sink.ThrowIfFailed();
        if (!ok)
        {
            throw new InvalidOperationException($"FLAC__stream_encoder_process_interleaved failed: {StateString()}.");
        }
    }

    private async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        foreach (var (offset, start, length) in _sink.Chunks)
        {
            if (_basePosition >= 0 && _output.Position != _basePosition + offset)
            {
                _output.Seek(_basePosition + offset, SeekOrigin.Begin);
            }

            await _output.WriteAsync(_sink.Pending.WrittenMemory.Slice(start, length), cancellationToken);
        }

        _sink.Clear();
    }

    private string StateString()
    {
        var text = FlacNative.GetResolvedStateString(_encoder);
        return text == 0 ? "unknown state" : Marshal.PtrToStringUTF8(text) ?? "unknown state";
    }

    private void Release()
    {
        if (_encoder != 0)
        {
            // delete() finishes an unfinished stream, which may still call back into the sink; keep the handle alive until then.
            FlacNative.EncoderDelete(_encoder);
            _encoder = 0;
        }

        if (_sinkHandle.IsAllocated)
        {
            _sinkHandle.Free();
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe int WriteCallback(nint encoder, byte* buffer, nuint bytes, uint samples, uint currentFrame, nint clientData)
    {
        var sink = (Sink)GCHandle.FromIntPtr(clientData).Target!;
        try
        {
            sink.Write(new ReadOnlySpan<byte>(buffer, checked((int)bytes)));
            return FlacNative.WriteStatusOk;
        }
        catch (Exception ex)
        {
            sink.Error = ex;
            return FlacNative.WriteStatusFatalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int SeekCallback(nint encoder, ulong absoluteOffset, nint clientData)
    {
        var sink = (Sink)GCHandle.FromIntPtr(clientData).Target!;
        if (absoluteOffset > (ulong)sink.End)
        {
            return FlacNative.SeekStatusError;
        }

        sink.Position = (long)absoluteOffset;
        return FlacNative.SeekStatusOk;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe int TellCallback(nint encoder, ulong* absoluteOffset, nint clientData)
    {
        var sink = (Sink)GCHandle.FromIntPtr(clientData).Target!;
        *absoluteOffset = (ulong)sink.Position;
        return FlacNative.TellStatusOk;
    }

    /// <summary>Bytes libFLAC produced since the last drain, as runs at offsets relative to the stream start.</summary>
    private sealed class Sink
    {
        public ArrayBufferWriter<byte> Pending { get; } = new();
        public List<(long Offset, int Start, int Length)> Chunks { get; } = [];
        public long Position { get; set; }
        public long End { get; private set; }
        public Exception? Error { get; set; }

        public void Write(ReadOnlySpan<byte> bytes)
        {
            var start = Pending.WrittenCount;
            bytes.CopyTo(Pending.GetSpan(bytes.Length));
            Pending.Advance(bytes.Length);

            if (Chunks.Count > 0 && Chunks[^1] is var last && last.Offset + last.Length == Position)
            {
                Chunks[^1] = last with { Length = last.Length + bytes.Length };
            }
            else
            {
                Chunks.Add((Position, start, bytes.Length));
            }

            Position += bytes.Length;
            End = Math.Max(End, Position);
        }

        public void Clear()
        {
            Pending.Clear();
            Chunks.Clear();
        }

        public void ThrowIfFailed()
        {
            if (Error is { } error)
            {
                throw new InvalidOperationException("The FLAC write callback failed.", error);
            }
        }
    }
}
