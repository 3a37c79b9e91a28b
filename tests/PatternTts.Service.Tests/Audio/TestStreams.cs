namespace PatternTts.Service.Tests.Audio;

/// <summary>A forward-only stream like an HTTP response body; counts bytes so tests can see streaming.</summary>
internal sealed class NonSeekableStream : WriteOnlyStream
{
    private readonly MemoryStream _inner = new();
    private readonly Lock _gate = new();
    private long _written;

    public long BytesWritten => Interlocked.Read(ref _written);

    public byte[] ToArray()
    {
        lock (_gate)
        {
            return _inner.ToArray();
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_gate)
        {
            _inner.Write(buffer);
        }

        Interlocked.Add(ref _written, buffer.Length);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal static class TestTone
{
    public const int SampleRate = 24_000;

    public static float[] Sine(double seconds, double frequency = 440, float amplitude = 0.5f)
    {
        var samples = new float[(int)(seconds * SampleRate)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = amplitude * MathF.Sin((float)(2 * Math.PI * frequency * i / SampleRate));
        }

        return samples;
    }

    /// <summary>Odd, uneven chunk sizes, as a synthesizer hands over sentence-sized pieces.</summary>
    public static IEnumerable<ReadOnlyMemory<float>> OddChunks(float[] samples)
    {
        int[] sizes = [1, 479, 3001, 17, 12_345, 7, 999];
        var offset = 0;
        for (var i = 0; offset < samples.Length; i++)
        {
            var size = Math.Min(sizes[i % sizes.Length], samples.Length - offset);
            yield return samples.AsMemory(offset, size);
            offset += size;
        }
    }
}
