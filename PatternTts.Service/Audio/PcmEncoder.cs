using System.Buffers;

namespace PatternTts.Service.Audio;

/// <summary>Raw s16le mono at the asked rate, no header: 2 bytes per sample.</summary>
internal sealed class PcmEncoder(Stream output) : IAudioEncoder
{
    private bool _completed;

    public AudioFormat Format => AudioFormat.Pcm;

    public ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        EncoderGuards.ThrowIfCompleted(_completed);
        return WritePcmAsync(output, samples, cancellationToken);
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        EncoderGuards.ThrowIfCompleted(_completed);
        _completed = true;
        await output.FlushAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    internal static async ValueTask WritePcmAsync(Stream output, ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        if (samples.IsEmpty)
        {
            return;
        }

        var byteCount = samples.Length * 2;
        var buffer = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            Pcm16.WriteLittleEndian(samples.Span, buffer);
            await output.WriteAsync(buffer.AsMemory(0, byteCount), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
