namespace PatternTts.Router.Rollout;

/// <summary>
/// This replica's view of the live rollout. Configuration supplies the starting point and, on reload, wins only when
/// its own values changed, so an unrelated reload cannot undo an admin change or an automatic rollback.
/// </summary>
/// <remarks>
/// With a shared store (<see cref="IRolloutStateShare"/>, Redis) every change is committed there first and adopted
/// here from the committed version, so all replicas hold the same state. Without one, changes apply here only, as on
/// a single router. An automatic rollback never waits for the store: it applies at once and is pushed when it can be.
/// </remarks>
internal sealed class RolloutStateStore : IDisposable
{
    public const string ConfigurationSource = "configuration";
    public const string AdminSource = "admin";
    public const string SloSource = "slo";

    private readonly Lock _gate = new();
    private readonly ILogger<RolloutStateStore> _logger;
    private readonly TimeProvider _time;
    private readonly IRolloutStateShare? _share;
    private readonly RouterReplica _replica;
    private readonly IDisposable? _subscription;
    private (int Percentage, RolloutPhase Phase) _lastConfigured;
    private RolloutState _state;
    private (string Source, string Reason)? _pendingRollback;

    public RolloutStateStore(
        IOptionsMonitor<RolloutOptions> options,
        ILogger<RolloutStateStore> logger,
        TimeProvider time,
        RouterReplica replica,
        IRolloutStateShare? share = null)
    {
        _logger = logger;
        _time = time;
        _share = share;
        _replica = replica;
        _lastConfigured = Sanitize(options.CurrentValue);
        _state = RolloutTransitions.Preset(_lastConfigured.Phase, _lastConfigured.Percentage, RolloutStatus.Active, ConfigurationSource, null, time.GetUtcNow())
            with { Replica = replica.Name };
        _subscription = options.OnChange(OnConfigurationChanged);
        RouterLog.StoreMode(logger, share is null
            ? "local to this router (set ConnectionStrings__redis to share it across a fleet)"
            : $"shared by every router through {share.Kind}, as {replica.Name}");
    }

    public RolloutState Current => Volatile.Read(ref _state);

    /// <summary>The shared store's kind (<c>redis</c>), or null for a router on its own.</summary>
    public string? SharedKind => _share?.Kind;

    public Task<RolloutState> SetPercentageAsync(int percentage, string source, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percentage);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentage, 100);
        return ChangeAsync(s => RolloutTransitions.Percentage(s, percentage, source, _time.GetUtcNow()), cancellationToken);
    }

    public Task<RolloutState> SetPhaseAsync(RolloutPhase phase, int? percentage, string source, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(phase))
        {
            throw new ArgumentOutOfRangeException(nameof(phase), phase, "Phase must be 1, 2 or 3.");
        }

        return ChangeAsync(s => RolloutTransitions.Phase(s, phase, percentage, source, _time.GetUtcNow()), cancellationToken);
    }

    /// <summary>An operator's rollback: committed to the shared store like any admin change.</summary>
    public Task<RolloutState> RollbackAsync(string source, string reason, CancellationToken cancellationToken) =>
        ChangeAsync(s => RolloutTransitions.Rollback(s, source, reason, _time.GetUtcNow()), cancellationToken);

    /// <summary>
    /// The SLO's rollback, decided on the request path: applied here at once, then pushed to the shared store in the
    /// background (and again after an outage) so every replica follows. False when the rollout already was rolled back.
    /// </summary>
    public bool TryRollback(string source, string reason)
    {
        lock (_gate)
        {
            if (RolloutTransitions.Rollback(_state, source, reason, _time.GetUtcNow()) is not { } next)
            {
                return false;
            }

            // Shared: the committed version comes from the store, which this one must not shadow.
            Apply(next with { Version = _share is null ? _state.Version + 1 : _state.Version, Replica = _replica.Name });
            if (_share is not null)
            {
                _pendingRollback = (source, reason);
            }
        }

        _ = PushPendingRollbackAsync(CancellationToken.None);
        return true;
    }

    /// <summary>Adopts a state committed to the shared store when it is newer than this replica's.</summary>
    public bool Adopt(RolloutState shared)
    {
        lock (_gate)
        {
            if (shared.Version <= _state.Version)
            {
                return false;
            }

            Apply(shared);
            return true;
        }
    }

    /// <summary>Pushes a rollback this replica decided while the store was unreachable; the sync loop calls it after each read.</summary>
    public async Task PushPendingRollbackAsync(CancellationToken cancellationToken)
    {
        (string Source, string Reason)? pending;
        lock (_gate)
        {
            pending = _pendingRollback;
        }

        if (_share is null || pending is not { } rollback)
        {
            return;
        }

        try
        {
            Adopt(await _share.UpdateAsync(s => RolloutTransitions.Rollback(s, rollback.Source, rollback.Reason, _time.GetUtcNow()), cancellationToken));
            lock (_gate)
            {
                if (_pendingRollback == pending)
                {
                    _pendingRollback = null;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            RouterLog.SharedWriteFailed(_logger, "rollback", e.Message);
        }
    }

    public void Dispose() => _subscription?.Dispose();

    /// <summary>Applies a transition: committed to the shared store first when there is one, else here.</summary>
    public async Task<RolloutState> ChangeAsync(Func<RolloutState, RolloutState?> transition, CancellationToken cancellationToken)
    {
        if (_share is null)
        {
            lock (_gate)
            {
                return transition(_state) is { } next ? Apply(next with { Version = _state.Version + 1, Replica = _replica.Name }) : _state;
            }
        }

        RolloutState committed;
        try
        {
            committed = await _share.UpdateAsync(transition, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not ArgumentException)
        {
            throw new RolloutStoreUnavailableException(_share.Kind, e);
        }

        Adopt(committed);
        return Current.Version >= committed.Version ? Current : committed;
    }

    private void OnConfigurationChanged(RolloutOptions options, string? name)
    {
        var configured = Sanitize(options);
        lock (_gate)
        {
            if (configured == _lastConfigured)
            {
                return;
            }

            _lastConfigured = configured;
        }

        _ = ApplyConfiguredAsync(configured);
    }

    private async Task ApplyConfiguredAsync((int Percentage, RolloutPhase Phase) configured)
    {
        try
        {
            await ChangeAsync(_ => RolloutTransitions.Preset(configured.Phase, configured.Percentage, RolloutStatus.Active, ConfigurationSource, null,
                _time.GetUtcNow()), CancellationToken.None);
        }
        catch (RolloutStoreUnavailableException e)
        {
            RouterLog.SharedWriteFailed(_logger, "configuration reload", e.Message);
        }
    }

    private RolloutState Apply(RolloutState next)
    {
        var previous = _state;
        Volatile.Write(ref _state, next);
        RouterLog.RolloutChanged(_logger, next.Source, next.Replica ?? _replica.Name, previous.Percentage, previous.Phase, previous.Status,
            next.Percentage, next.Phase, next.Status, next.Version);
        return next;
    }

    private (int Percentage, RolloutPhase Phase) Sanitize(RolloutOptions options)
    {
        var percentage = options.Percentage;
        if (percentage is < 0 or > 100)
        {
            RouterLog.InvalidRolloutSetting(_logger, nameof(RolloutOptions.Percentage), percentage, "expected 0 to 100");
            percentage = Math.Clamp(percentage, 0, 100);
        }

        if (!RolloutPhases.TryParse(options.Phase, out var phase))
        {
            RouterLog.InvalidRolloutSetting(_logger, nameof(RolloutOptions.Phase), options.Phase, "expected 1, 2 or 3; using 2");
            phase = RolloutPhase.Split;
        }

        return (percentage, phase);
    }
}
