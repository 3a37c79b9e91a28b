namespace PatternTts.Router.Rollout;

/// <summary>Whether this replica reaches the shared rollout store, for /health and the metrics.</summary>
internal sealed class RolloutStoreHealth(ILogger<RolloutStoreHealth> logger)
{
    private volatile string? _problem = "not reached yet";

    public bool Healthy => _problem is null;

    /// <summary>Why the store is degraded, or null while it answers.</summary>
    public string? Problem => _problem;

    public DateTimeOffset? LastSuccess { get; private set; }

    public void Succeeded(string kind, long version, DateTimeOffset now)
    {
        LastSuccess = now;
        if (_problem is not null)
        {
            _problem = null;
            RouterLog.StoreRecovered(logger, kind, version);
        }
    }

    public void Failed(string kind, long version, string reason)
    {
        if (_problem is null || _problem == "not reached yet")
        {
            RouterLog.StoreDegraded(logger, kind, version, reason);
        }

        _problem = reason;
    }
}

/// <summary>
/// Keeps this replica on the fleet's rollout state: seeds the store from configuration when it is empty (also after
/// a Redis restart lost it), adopts every announced change, and re-reads the store every
/// <see cref="RolloutOptions.StoreReconcileSeconds"/> so a missed announcement heals. A rollback decided here while
/// the store was unreachable is pushed once it answers again.
/// </summary>
internal sealed class RolloutStoreSync(
    RolloutStateStore store,
    IRolloutStateShare share,
    RolloutStoreHealth health,
    IOptionsMonitor<RolloutOptions> options,
    TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscribed = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!subscribed)
                {
                    await share.SubscribeAsync(shared => store.Adopt(shared), stoppingToken);
                    subscribed = true;
                }

                store.Adopt(await share.ReadAsync(stoppingToken) ?? await share.SeedAsync(store.Current, stoppingToken));
                await store.PushPendingRollbackAsync(stoppingToken);
                health.Succeeded(share.Kind, store.Current.Version, time.GetUtcNow());
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                health.Failed(share.Kind, store.Current.Version, e.Message);
            }

            var interval = TimeSpan.FromSeconds(Math.Clamp(options.CurrentValue.StoreReconcileSeconds, 0.1, 60));
            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
