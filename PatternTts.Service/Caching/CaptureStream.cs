namespace PatternTts.Service.Caching;

/// <summary>
/// Passes a response's bytes through to the client and keeps a copy for the cache until the copy would pass its
/// limit; past it the copy is dropped and only the pass-through goes on, so a long response costs no extra memory.
/// </summary>
internal sealed class CaptureStream(Stream inner, long limit) : WriteOnlyStream
{
    private MemoryStream? _copy = new();

    /// <summary>Everything written, or null when it passed the limit.</summary>
    public byte[]? Captured => _copy?.ToArray();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Keep(buffer);
        inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Keep(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    private void Keep(ReadOnlySpan<byte> buffer)
    {
        if (_copy is null)
        {
            return;
        }

        if (_copy.Length + buffer.Length > limit)
        {
            _copy.Dispose();
            _copy = null;
            return;
        }

        _copy.Write(buffer);
    }
}
