using Microsoft.FeatureManagement;

namespace PatternTts.Router.Rollout;

internal enum ArmReason
{
    Targeting,
    Forced,
    LegacyRetired,
}

internal sealed record ArmDecision(Arm Arm, ArmReason Reason);

/// <summary>Chooses the arm for a request: phase 3 overrides everything, then a forced header, then the flag.</summary>
internal sealed class ArmSelector(IVariantFeatureManager featureManager, RolloutStateStore store, IOptionsMonitor<RolloutOptions> options)
{
    public async ValueTask<ArmDecision> SelectAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var state = store.Current;
        if (!state.LegacyEnabled)
        {
            return new ArmDecision(Arm.New, ArmReason.LegacyRetired);
        }

        var settings = options.CurrentValue;
        if (settings.AllowForcedArm && Arms.TryParse(context.Request.Headers[Arms.HeaderName].ToString(), out var forced))
        {
            return new ArmDecision(forced, ArmReason.Forced);
        }

        // The Targeting filter hashes the user key from RolloutTargetingContextAccessor with the flag name, so a
        // user's bucket never moves and raising the percentage only ever adds users to the new arm.
        var enabled = await featureManager.IsEnabledAsync(settings.FeatureName, cancellationToken);
        return new ArmDecision(enabled ? Arm.New : Arm.Legacy, ArmReason.Targeting);
    }
}
