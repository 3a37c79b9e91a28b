namespace PatternTts.Service.Audio;

/// <summary>
/// Puts a <see cref="Resampler"/> in front of an encoder built for another rate: the engines' 24 kHz chunks go in,
/// the encoder sees its own rate, and completing flushes the filter's tail first so no audio is lost at the end.
/// </summary>
internal sealed class ResamplingEncoder(IAudioEncoder inner, int fromRate, int toRate) : IAudioEncoder
{
    private readonly Resampler _resampler = new(fromRate, toRate);

    public AudioFormat Format => inner.Format;

    public ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken) =>
        inner.WriteAsync(_resampler.Process(samples.Span).ToArray(), cancellationToken);

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        var tail = _resampler.Flush().ToArray();
        if (tail.Length > 0)
        {
            await inner.WriteAsync(tail, cancellationToken);
        }

        await inner.CompleteAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _resampler.Dispose();
        await inner.DisposeAsync();
    }
}
