namespace PatternTts.Service.Audio;

/// <summary>A write-only, non-seekable buffer: encoders treat it as a live stream, and each chunk's bytes are taken out.</summary>
internal sealed class PendingAudioStream : WriteOnlyStream
{
    private readonly MemoryStream _pending = new();

    public byte[] Take()
    {
        var bytes = _pending.ToArray();
        _pending.SetLength(0);
        return bytes;
    }

    public override void Write(byte[] buffer, int offset, int count) => _pending.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => _pending.Write(buffer);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _pending.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        _pending.Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
