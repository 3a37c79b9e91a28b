using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using PatternTts.Router.Proxy;

namespace PatternTts.Router.Api;

internal sealed record RolloutServices(
    RolloutStateStore Store,
    RolloutStoreHealth StoreHealth,
    RouterReplica Replica,
    ShadowMirror Shadow,
    SloMonitor Slo,
    RouterMetrics Metrics,
    IOptionsMonitor<RolloutOptions> Options);

/// <summary>The operator's controls (the Aspire dashboard commands call exactly these paths).</summary>
public static class RolloutAdminApi
{
    public static RouteGroupBuilder MapRolloutAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/admin/rollout").WithTags("Rollout").AddEndpointFilter<AdminKeyFilter>();
        api.MapGet("", GetRollout).WithName("GetRollout").WithSummary("Current rollout state, shadow and SLO windows.");
        api.MapPut("", SetPercentage).WithName("SetRolloutPercentage").WithSummary("Set the share of users on the new arm.");
        api.MapPost("/phase", SetPhase).WithName("SetRolloutPhase").WithSummary("Apply a phase preset: 1 shadow, 2 A/B, 3 new only.");
        api.MapPost("/rollback", Rollback).WithName("RollbackRollout").WithSummary("Send all traffic back to legacy.");
        api.MapPost("/progression", StartProgression).WithName("StartProgression")
            .WithSummary("Start an automatic rollout: steps, an interval and a minimum of samples; gates decide each step.");
        api.MapPost("/progression/pause", PauseProgression).WithName("PauseProgression").WithSummary("Stop judging steps; the split stays.");
        api.MapPost("/progression/resume", ResumeProgression).WithName("ResumeProgression").WithSummary("Judge the current step again after an interval.");
        api.MapPost("/progression/abort", AbortProgression).WithName("AbortProgression").WithSummary("End the progression; the split stays.");
        return api;
    }

    internal static Ok<RolloutStatusResponse> GetRollout([AsParameters] RolloutServices services) =>
        TypedResults.Ok(Describe(services, services.Store.Current));

    internal static async Task<Results<Ok<RolloutStatusResponse>, JsonHttpResult<OpenAiErrorResponse>>> SetPercentage(
        SetPercentageRequest request, [AsParameters] RolloutServices services, CancellationToken cancellationToken)
    {
        if (request.Percentage is not { } percentage || percentage is < 0 or > 100)
        {
            return BadRequest("percentage must be an integer from 0 to 100.", "percentage");
        }

        return await WriteAsync(services, () => services.Store.SetPercentageAsync(percentage, RolloutStateStore.AdminSource, cancellationToken));
    }

    internal static async Task<Results<Ok<RolloutStatusResponse>, JsonHttpResult<OpenAiErrorResponse>>> SetPhase(
        SetPhaseRequest request, [AsParameters] RolloutServices services, CancellationToken cancellationToken)
    {
        if (request.Phase is not { } number || !RolloutPhases.TryParse(number, out var phase))
        {
            return BadRequest("phase must be 1, 2 or 3.", "phase");
        }

        if (request.Percentage is < 0 or > 100)
        {
            return BadRequest("percentage must be an integer from 0 to 100.", "percentage");
        }

        return await WriteAsync(services, () => services.Store.SetPhaseAsync(phase, request.Percentage, RolloutStateStore.AdminSource, cancellationToken));
    }

    internal static Task<Results<Ok<RolloutStatusResponse>, JsonHttpResult<OpenAiErrorResponse>>> Rollback(
        [AsParameters] RolloutServices services, CancellationToken cancellationToken) =>
        WriteAsync(services, () => services.Store.RollbackAsync(RolloutStateStore.AdminSource, "operator rollback", cancellationToken));

    internal static async Task<Results<Ok<RolloutStatusResponse>, JsonHttpResult<OpenAiErrorResponse>>> StartProgression(
        StartProgressionRequest request, [AsParameters] RolloutServices services, TimeProvider time, CancellationToken cancellationToken)
    {
        var defaults = services.Options.CurrentValue.Progression;
        var steps = request.Steps ?? defaults.EffectiveSteps;
        if (steps.Length == 0 || steps.Any(s => s is < 1 or > 100) || steps.Zip(steps.Skip(1)).Any(p => p.Second <= p.First))
        {
            return BadRequest("steps must be rising percentages from 1 to 100, such as [10, 25, 50, 100].", "steps");
        }

        var interval = request.IntervalSeconds ?? defaults.IntervalSeconds;
        if (!double.IsFinite(interval) || interval is < 0.1 or > 86_400)
        {
            return BadRequest("interval_seconds must be between 0.1 and 86400.", "interval_seconds");
        }

        var minSamples = request.MinSamples ?? defaults.MinSamples;
        if (minSamples is < 1 or > 1_000_000)
        {
            return BadRequest("min_samples must be between 1 and 1000000.", "min_samples");
        }

        if (services.Store.Current.Phase == RolloutPhase.NewOnly)
        {
            return BadRequest("The rollout is in phase 3 already; there is nothing left to progress.", "phase");
        }

        return await WriteAsync(services, () => services.Store.ChangeAsync(
            s => RolloutTransitions.StartProgression(s, steps, interval, minSamples, RolloutStateStore.AdminSource, time.GetUtcNow()), cancellationToken));
    }

    internal static Task<Results<Ok<RolloutStatusResponse>, JsonHttpResult<OpenAiErrorResponse>>> PauseProgression(
        [AsParameters] RolloutServices services, TimeProvider time, CancellationToken cancellationToken) =>
        ControlProgression(services, ProgressionStatus.Paused, time, cancellationToken);

    internal static Task<Results<Ok<RolloutStatusResponse>, JsonHttpResult<OpenAiErrorResponse>>> ResumeProgression(
        [AsParameters] RolloutServices services, TimeProvider time, CancellationToken cancellationToken) =>
        ControlProgression(services, ProgressionStatus.Running, time, cancellationToken);

    internal static Task<Results<Ok<RolloutStatusResponse>, JsonHttpResult<OpenAiErrorResponse>>> AbortProgression(
        [AsParameters] RolloutServices services, TimeProvider time, CancellationToken cancellationToken) =>
        ControlProgression(services, ProgressionStatus.Aborted, time, cancellationToken);

    private static Task<Results<Ok<RolloutStatusResponse>, JsonHttpResult<OpenAiErrorResponse>>> ControlProgression(
        RolloutServices services, ProgressionStatus status, TimeProvider time, CancellationToken cancellationToken) =>
        WriteAsync(services, () => services.Store.ChangeAsync(s => RolloutTransitions.ControlProgression(s, status, time.GetUtcNow()), cancellationToken));

    /// <summary>
    /// A change goes to the fleet's shared store first; while it is unreachable the write is refused with 503 rather
    /// than applied to one replica, which would split the fleet.
    /// </summary>
    private static async Task<Results<Ok<RolloutStatusResponse>, JsonHttpResult<OpenAiErrorResponse>>> WriteAsync(
        RolloutServices services, Func<Task<RolloutState>> change)
    {
        try
        {
            return TypedResults.Ok(Describe(services, await change()));
        }
        catch (RolloutStoreUnavailableException e)
        {
            return TypedResults.Json(
                OpenAiErrorResponse.Create($"{e.Message} Routing continues with the last known state; try again when the store answers.",
                    RouterErrors.ServerError, "rollout_store_unavailable", null),
                RouterJsonContext.Default.OpenAiErrorResponse, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static RolloutStatusResponse Describe(RolloutServices services, RolloutState state)
    {
        var settings = services.Options.CurrentValue;
        return new RolloutStatusResponse(
            state.Percentage,
            state.Phase,
            state.Status,
            settings.FeatureName,
            state.Source,
            state.ChangedAt,
            state.Reason,
            settings.AllowForcedArm,
            services.Shadow.Status(state),
            services.Slo.Summarize(),
            settings.Rollback,
            StoreStatus(services.Store, services.StoreHealth, services.Replica, state),
            services.Metrics.CapabilityFallbacks,
            state.Progression);
    }

    internal static RolloutStoreStatus StoreStatus(RolloutStateStore store, RolloutStoreHealth health, RouterReplica replica, RolloutState state) =>
        store.SharedKind is not { } kind
            ? new RolloutStoreStatus("local", "healthy", null, state.Version, state.Replica, replica.Name)
            : new RolloutStoreStatus(kind, health.Healthy ? "healthy" : "degraded", health.Problem, state.Version, state.Replica, replica.Name);

    private static JsonHttpResult<OpenAiErrorResponse> BadRequest(string message, string param) =>
        TypedResults.Json(OpenAiErrorResponse.Create(message, RouterErrors.InvalidRequest, "invalid_value", param),
            RouterJsonContext.Default.OpenAiErrorResponse, statusCode: StatusCodes.Status400BadRequest);
}

internal static class AdminKeys
{
    /// <summary>Whether the request carries the configured admin key (never true when none is configured).</summary>
    public static bool IsAdmin(HttpRequest request, string? expected) =>
        !string.IsNullOrEmpty(expected) && ApiKeys.Bearer(request) is { } presented && ApiKeys.Matches(presented, expected);
}

/// <summary>Failed admin-key attempts per client address, shared by every admin endpoint of one router.</summary>
internal sealed class AdminKeyFailures : IDisposable
{
    public PartitionedRateLimiter<IPAddress> Limiter { get; } = ApiKeys.CreateFailureLimiter();

    public void Dispose() => Limiter.Dispose();
}

/// <summary>
/// Bearer-key gate. With no key configured the API answers 404 as if it did not exist: an unconfigured router must
/// never be an open one.
/// </summary>
internal sealed class AdminKeyFilter(
    IOptionsMonitor<RolloutOptions> options, AdminKeyFailures failures, ILogger<AdminKeyFilter> logger) : IEndpointFilter
{
    private PartitionedRateLimiter<IPAddress> Failures => failures.Limiter;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var expected = options.CurrentValue.AdminKey;
        if (string.IsNullOrEmpty(expected))
        {
            return Reject(http, StatusCodes.Status404NotFound, "The admin API is disabled: no admin key is configured.",
                RouterErrors.InvalidRequest, "admin_disabled");
        }

        var client = http.Connection.RemoteIpAddress ?? IPAddress.None;
        if (Failures.GetStatistics(client)?.CurrentAvailablePermits == 0)
        {
            http.Response.Headers.RetryAfter = ((int)ApiKeys.FailureWindow.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return Reject(http, StatusCodes.Status429TooManyRequests, "Too many failed attempts with the admin key; retry later.",
                "rate_limit_error", "rate_limit_exceeded");
        }

        var presented = ApiKeys.Bearer(http.Request);
        if (presented is not null && ApiKeys.Matches(presented, expected))
        {
            return await next(context);
        }

        using var lease = Failures.AttemptAcquire(client);
        return presented is null
            ? Reject(http, StatusCodes.Status401Unauthorized, "Missing admin key: send Authorization: Bearer <admin key>.",
                RouterErrors.Authentication, "missing_api_key")
            : Reject(http, StatusCodes.Status401Unauthorized, "Incorrect admin key.", RouterErrors.Authentication, "invalid_api_key");
    }

    private JsonHttpResult<OpenAiErrorResponse> Reject(HttpContext http, int statusCode, string message, string type, string code)
    {
        RouterLog.AdminRejected(logger, http.Request.Method, http.Request.Path, code);
        if (statusCode == StatusCodes.Status401Unauthorized)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
        }

        return TypedResults.Json(OpenAiErrorResponse.Create(message, type, code), RouterJsonContext.Default.OpenAiErrorResponse, statusCode: statusCode);
    }
}
