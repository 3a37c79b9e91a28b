namespace PatternTts.Router.Rollout;

/// <summary>
/// The live rollout. Configuration supplies the starting point and, on reload, wins only when its own values
/// changed, so an unrelated reload cannot undo an admin change or an automatic rollback.
/// </summary>
internal sealed class RolloutStateStore : IDisposable
{
    public const string ConfigurationSource = "configuration";
    public const string AdminSource = "admin";
    public const string SloSource = "slo";

    private readonly Lock _gate = new();
    private readonly ILogger<RolloutStateStore> _logger;
    private readonly TimeProvider _time;
    private readonly IDisposable? _subscription;
    private (int Percentage, RolloutPhase Phase) _lastConfigured;
    private RolloutState _state;

    public RolloutStateStore(IOptionsMonitor<RolloutOptions> options, ILogger<RolloutStateStore> logger, TimeProvider time)
    {
        _logger = logger;
        _time = time;
        _lastConfigured = Sanitize(options.CurrentValue);
        _state = Preset(_lastConfigured.Phase, _lastConfigured.Percentage, RolloutStatus.Active, ConfigurationSource, null);
        _subscription = options.OnChange(OnConfigurationChanged);
    }

    public RolloutState Current => Volatile.Read(ref _state);

    public RolloutState SetPercentage(int percentage, string source)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percentage);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentage, 100);
        lock (_gate)
        {
            // A percentage is an A/B setting, so leaving the endpoints of the scale moves the phase to 2.
            var phase = _state.Phase switch
            {
                RolloutPhase.Shadow when percentage > 0 => RolloutPhase.Split,
                RolloutPhase.NewOnly when percentage < 100 => RolloutPhase.Split,
                var p => p,
            };
            return Apply(Preset(phase, percentage, RolloutStatus.Active, source, null));
        }
    }

    public RolloutState SetPhase(RolloutPhase phase, int? percentage, string source)
    {
        if (!Enum.IsDefined(phase))
        {
            throw new ArgumentOutOfRangeException(nameof(phase), phase, "Phase must be 1, 2 or 3.");
        }

        lock (_gate)
        {
            return Apply(Preset(phase, percentage ?? _state.Percentage, RolloutStatus.Active, source, null));
        }
    }

    /// <summary>Sets 0% and marks the rollout rolled back; false when it already was.</summary>
    public bool TryRollback(string source, string reason)
    {
        lock (_gate)
        {
            if (_state.Status == RolloutStatus.RolledBack)
            {
                return false;
            }

            // Legacy must take the traffic back, so phase 3 (legacy retired) falls back to phase 2.
            var phase = _state.Phase == RolloutPhase.NewOnly ? RolloutPhase.Split : _state.Phase;
            Apply(new RolloutState(0, phase, RolloutStatus.RolledBack, source, _time.GetUtcNow(), reason));
            return true;
        }
    }

    public void Dispose() => _subscription?.Dispose();

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
            Apply(Preset(configured.Phase, configured.Percentage, RolloutStatus.Active, ConfigurationSource, null));
        }
    }

    private RolloutState Apply(RolloutState next)
    {
        var previous = _state;
        Volatile.Write(ref _state, next);
        RouterLog.RolloutChanged(_logger, next.Source, previous.Percentage, previous.Phase, previous.Status,
            next.Percentage, next.Phase, next.Status);
        return next;
    }

    private RolloutState Preset(RolloutPhase phase, int percentage, RolloutStatus status, string source, string? reason) =>
        new(phase switch { RolloutPhase.Shadow => 0, RolloutPhase.NewOnly => 100, _ => percentage }, phase, status, source, _time.GetUtcNow(), reason);

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
