using System.Threading.RateLimiting;

namespace PatternTts.Service.Pipeline;

/// <summary>
/// Bounds the syntheses that run at once and the requests that wait for one. Past the queue the caller is told
/// to come back (429 + Retry-After) instead of piling up until clients time out.
/// </summary>
public sealed class SynthesisLimiter(IOptions<TtsOptions> options) : IAsyncDisposable
{
    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.Value.EffectiveMaxConcurrentSyntheses,
        QueueLimit = options.Value.MaxQueueLength,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    public RateLimiterStatistics? Statistics => _limiter.GetStatistics();

    /// <summary>A lease to dispose when the synthesis ends; <see cref="RateLimitLease.IsAcquired"/> is false when full.</summary>
    public ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken) => _limiter.AcquireAsync(1, cancellationToken);

    public ValueTask DisposeAsync() => _limiter.DisposeAsync();
}
