using System.Buffers;

namespace PatternTts.Service.Audio;

/// <summary>Raw G.711 (μ-law or A-law): one byte a sample, no header, as telephony gateways take it.</summary>
internal sealed class G711Encoder(Stream output, SampleCodec codec) : IAudioEncoder
{
    private bool _completed;

    public AudioFormat Format => codec == SampleCodec.Ulaw ? AudioFormat.Ulaw : AudioFormat.Alaw;

    public ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        EncoderGuards.ThrowIfCompleted(_completed);
        return WriteCompandedAsync(output, codec, samples, cancellationToken);
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        EncoderGuards.ThrowIfCompleted(_completed);
        _completed = true;
        await output.FlushAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    internal static async ValueTask WriteCompandedAsync(Stream output, SampleCodec codec, ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        if (samples.IsEmpty)
        {
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(samples.Length);
        try
        {
            var span = samples.Span;
            for (var i = 0; i < span.Length; i++)
            {
                buffer[i] = G711.Encode(codec, Pcm16.ToInt16(span[i]));
            }

            await output.WriteAsync(buffer.AsMemory(0, samples.Length), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
