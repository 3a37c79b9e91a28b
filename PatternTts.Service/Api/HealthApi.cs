namespace PatternTts.Service.Api;

public static class HealthApi
{
    public const string ServiceName = "pattern-tts-service";
    public const string Version = "1.0.0";

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(HealthEndpoints.HealthEndpointPath, GetHealth)
            .WithTags("Health")
            .WithName("Health")
            .WithSummary("Service status: which engine and model serve, and why not when degraded.");
        app.MapGet("/v1/test", () => TypedResults.Json(new LegacyTestResponse("ok"), ServiceJsonContext.Readable.LegacyTestResponse))
            .WithTags("Health")
            .WithName("LegacyTest")
            .WithSummary("The legacy container's liveness answer, {\"status\":\"ok\"}, which some clients probe to detect it.");
        return app;
    }

    /// <summary>
    /// Always 200 with the truth in the body ("degraded" plus the reason), as the legacy contract's clients poll it;
    /// Kubernetes and Aspire gate traffic on /ready, which answers 503 until the service can really serve.
    /// </summary>
    /// <remarks>Outside Development the reason is short: paths and operator commands stay in the log.</remarks>
    internal static IResult GetHealth(EngineSelector engines, IOptions<TtsOptions> options, IHostEnvironment environment, HttpContext context)
    {
        var status = engines.Status;
        if (status.Reason is not null && !environment.IsDevelopment())
        {
            status = status with { Reason = EngineUnavailableException.PublicMessage };
        }

        var port = context.Connection.LocalPort > 0 ? context.Connection.LocalPort : options.Value.Port;
        return TypedResults.Json(
            new HealthResponse(status.Ready ? "healthy" : "degraded", ServiceName, Version, status.Model, status.Engine, port, status.Reason, status.Warning),
            ServiceJsonContext.Readable.HealthResponse);
    }
}
