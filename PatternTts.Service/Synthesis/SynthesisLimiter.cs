using System.Threading.RateLimiting;

namespace PatternTts.Service.Synthesis;

/// <summary>
/// Bounds the syntheses that run at once and the requests that wait for one. Past the queue the caller is told
/// to come back (429 + Retry-After) instead of piling up until clients time out.
/// </summary>
public sealed class SynthesisLimiter(IOptions<TtsOptions> options, TtsMetrics metrics) : IAsyncDisposable
{
    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.Value.EffectiveMaxConcurrentSyntheses,
        QueueLimit = options.Value.MaxQueueLength,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    public RateLimiterStatistics? Statistics => _limiter.GetStatistics();

    /// <summary>A lease to dispose when the synthesis ends, or <see cref="SynthesisBusyException"/> when the queue is full.</summary>
    public async Task<RateLimitLease> AcquireAsync(CancellationToken cancellationToken)
    {
        var lease = await _limiter.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            metrics.Rejected("busy");
            throw new SynthesisBusyException();
        }

        return lease;
    }

    public ValueTask DisposeAsync() => _limiter.DisposeAsync();
}
