using Microsoft.AspNetCore.Http.HttpResults;
using PatternTts.Router.Health;

namespace PatternTts.Router.Api;

public static class RouterHealthApi
{
    public const string ServiceName = "pattern-tts-router";
    public const string Version = "1.0.0";

    /// <summary>
    /// <c>/health</c> answers 200 whenever the router itself is up, with <c>degraded</c> when an arm in use is not
    /// healthy: failover still serves then, and Aspire or Kubernetes must not restart the router for an arm's fault.
    /// </summary>
    public static RouteHandlerBuilder MapRouterHealth(this IEndpointRouteBuilder app) =>
        app.MapGet(HealthEndpoints.HealthEndpointPath, GetHealthAsync)
            .WithName("RouterHealth")
            .WithTags("Health")
            .WithSummary("Router status and each arm's health.");

    /// <remarks>
    /// The arms' addresses are internal: outside Development they are shown only to a caller with the admin key.
    /// </remarks>
    internal static async Task<Ok<RouterHealthResponse>> GetHealthAsync(
        HttpContext context, ArmHealthProbe probe, RolloutStateStore store, RolloutStoreHealth storeHealth, RouterReplica replica,
        IOptionsMonitor<RolloutOptions> options, IHostEnvironment environment, CancellationToken cancellationToken)
    {
        var state = store.Current;
        var arms = await probe.CheckAsync(cancellationToken);
        if (!environment.IsDevelopment() && !AdminKeys.IsAdmin(context.Request, options.CurrentValue.AdminKey))
        {
            arms = new ArmHealthSet(arms.Legacy with { Address = null }, arms.New with { Address = null });
        }

        // A degraded store is a degraded router (it cannot take rollout changes) but never an unready one.
        var storeStatus = RolloutAdminApi.StoreStatus(store, storeHealth, replica, state);
        var healthy = arms.New.Status == ArmHealthStatus.Healthy && (!state.LegacyEnabled || arms.Legacy.Status == ArmHealthStatus.Healthy)
            && storeStatus.Status == "healthy";
        return TypedResults.Ok(new RouterHealthResponse(
            healthy ? "healthy" : "degraded",
            ServiceName,
            Version,
            new RolloutSummary(state.Percentage, state.Phase, state.Status),
            arms,
            storeStatus));
    }
}
