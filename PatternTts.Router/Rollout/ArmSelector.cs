using Microsoft.FeatureManagement;

namespace PatternTts.Router.Rollout;

internal enum ArmReason
{
    Targeting,
    Forced,
    LegacyRetired,

    /// <summary>A <c>/v1/download/*</c> file, which exists only on the arm that made it.</summary>
    FileOwner,

    /// <summary>An endpoint only the new service has (the speech socket): the legacy's absence is no failure of it.</summary>
    NewOnly,
}

internal sealed record ArmDecision(Arm Arm, ArmReason Reason)
{
    /// <summary>Only the rollout's own choices judge an arm: a client's forced arm or a file's owner says nothing of it.</summary>
    public bool CountsForSlo => Reason is ArmReason.Targeting or ArmReason.LegacyRetired;

    /// <summary>A file lives on one arm; the other can only answer 404, so a failed download is not retried there.</summary>
    public bool CanFailover => Reason is not (ArmReason.FileOwner or ArmReason.NewOnly);
}

/// <summary>Endpoints the legacy container does not have, which every user reaches on the new arm whatever the split.</summary>
internal static class NewOnlyEndpoints
{
    /// <summary>The service's speech socket (<c>SpeechSocketApi.Path</c>).</summary>
    public const string SpeechSocket = "/v1/audio/speech/stream";

    public static bool Contains(PathString path) => path.Equals(SpeechSocket, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The download links both arms hand out: <c>/v1/download/{file}</c>, the new service's files named with its prefix.</summary>
internal static class DownloadLinks
{
    public const string PathPrefix = "/v1/download/";

    /// <summary>The service's <c>DownloadStore.FilePrefix</c>; the legacy container names its files otherwise.</summary>
    public const string NewServiceFilePrefix = "pattern-tts-";

    public static Arm? OwnerOf(PathString path) =>
        path.Value is { } value && value.StartsWith(PathPrefix, StringComparison.Ordinal)
            ? value.AsSpan(PathPrefix.Length).StartsWith(NewServiceFilePrefix, StringComparison.Ordinal) ? Arm.New : Arm.Legacy
            : null;
}

/// <summary>
/// Chooses the arm for a request: phase 3 overrides everything, then a forced header, then the flag. The flag's answer
/// for a user is kept for as long as the rollout state it was computed under is the current one (every change replaces
/// the state whole), so a returning user costs a dictionary lookup instead of a feature evaluation.
/// </summary>
internal sealed class ArmSelector(IVariantFeatureManager featureManager, RolloutStateStore store, IOptionsMonitor<RolloutOptions> options)
{
    /// <summary>Users remembered per rollout state; past it, further users are evaluated every time until the state changes.</summary>
    public const int MaxRememberedUsers = 100_000;

    private volatile Decisions _decisions = new(null, string.Empty);

    public async ValueTask<ArmDecision> SelectAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var state = store.Current;
        if (DownloadLinks.OwnerOf(context.Request.Path) is { } owner && (owner == Arm.New || state.LegacyEnabled))
        {
            return new ArmDecision(owner, ArmReason.FileOwner);
        }

        if (!state.LegacyEnabled)
        {
            return new ArmDecision(Arm.New, ArmReason.LegacyRetired);
        }

        if (NewOnlyEndpoints.Contains(context.Request.Path))
        {
            return NewOnly;
        }

        var settings = options.CurrentValue;
        if (settings.AllowForcedArm && Arms.TryParse(context.Request.Headers[Arms.HeaderName].ToString(), out var forced))
        {
            return new ArmDecision(forced, ArmReason.Forced);
        }

        var decisions = _decisions;
        if (!ReferenceEquals(decisions.State, state) || decisions.FeatureName != settings.FeatureName)
        {
            _decisions = decisions = new Decisions(state, settings.FeatureName);
        }

        var user = UserKey.Resolve(context);
        if (!decisions.ByUser.TryGetValue(user, out var enabled))
        {
            // The Targeting filter hashes the user key from RolloutTargetingContextAccessor with the flag name, so a
            // user's bucket never moves and raising the percentage only ever adds users to the new arm.
            enabled = await featureManager.IsEnabledAsync(settings.FeatureName, cancellationToken);
            if (decisions.ByUser.Count < MaxRememberedUsers)
            {
                decisions.ByUser.TryAdd(user, enabled);
            }
        }

        return enabled ? NewByTargeting : LegacyByTargeting;
    }

    private static readonly ArmDecision NewByTargeting = new(Arm.New, ArmReason.Targeting);
    private static readonly ArmDecision NewOnly = new(Arm.New, ArmReason.NewOnly);
    private static readonly ArmDecision LegacyByTargeting = new(Arm.Legacy, ArmReason.Targeting);

    /// <summary>The flag's answers under one rollout state and flag name.</summary>
    private sealed class Decisions(RolloutState? state, string featureName)
    {
        public RolloutState? State { get; } = state;

        public string FeatureName { get; } = featureName;

        public System.Collections.Concurrent.ConcurrentDictionary<string, bool> ByUser { get; } = new(StringComparer.Ordinal);
    }
}
