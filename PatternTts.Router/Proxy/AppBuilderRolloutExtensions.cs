namespace PatternTts.Router.Proxy;

/// <summary>The rollout's proxy steps, added like YARP's own (<c>UseLoadBalancing()</c>, <c>UsePassiveHealthChecks()</c>).</summary>
internal static class AppBuilderRolloutExtensions
{
    /// <summary>Chooses the arm and records the request's outcome; must come first.</summary>
    public static IReverseProxyApplicationBuilder UseArmSelection(this IReverseProxyApplicationBuilder builder)
    {
        builder.UseMiddleware<ArmSelectionMiddleware>();
        return builder;
    }

    /// <summary>Mirrors sampled legacy-served requests to the new arm once the client has its answer.</summary>
    public static IReverseProxyApplicationBuilder UseShadowMirror(this IReverseProxyApplicationBuilder builder)
    {
        builder.UseMiddleware<ShadowMirrorMiddleware>();
        return builder;
    }

    /// <summary>Sends the request to its arm, and once to the other when the first answered nothing usable.</summary>
    public static IReverseProxyApplicationBuilder UseArmFailover(this IReverseProxyApplicationBuilder builder)
    {
        builder.UseMiddleware<ArmFailoverMiddleware>();
        return builder;
    }
}
