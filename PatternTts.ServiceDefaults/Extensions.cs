using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

// Cross-cutting setup shared by the service and the router: telemetry, health, discovery, resilience.
public static class Extensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddManagementOptions();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());

        // Spans are built only when something receives them: recording every request's spans for no exporter cost the
        // router a tenth of its throughput (benchmarks/router-vs-nginx.sh). Trace context still flows to upstreams
        // without them (ASP.NET Core's and HttpClient's own activities carry traceparent).
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddAspNetCoreInstrumentation(options =>
                    // Probes and scrapes would drown the traces that matter.
                    options.Filter = context => !HealthEndpoints.IsInfrastructurePath(context.Request.Path))
                .AddHttpClientInstrumentation());
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthEndpoints.LiveTag]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/alive</c>, <c>/ready</c> and <c>/metrics</c> in every environment: Kubernetes probes and
    /// Prometheus scrape production pods, so these cannot be Development-only as in the Aspire template. Which port
    /// answers <c>/metrics</c> is <see cref="ManagementOptions"/>' choice. <c>/health</c> is left to each app, which
    /// knows what its body should say.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseManagementPortGuard();

        app.MapHealthChecks(HealthEndpoints.AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(HealthEndpoints.LiveTag),
        }).ExcludeFromDescription();

        app.MapHealthChecks(HealthEndpoints.ReadinessEndpointPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(HealthEndpoints.ReadyTag),
            // Degraded means "not ready to serve": Kubernetes must not route traffic here yet.
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).ExcludeFromDescription();

        app.MapPrometheusScrapingEndpoint(HealthEndpoints.MetricsEndpointPath);
        return app;
    }

    /// <summary>
    /// Refuses request targets that spell a dot segment in percent-encoding (<c>/v1/%2e%2e/metrics</c>): the server
    /// decodes and resolves them, so they would reach a path the route prefix seemed to rule out.
    /// </summary>
    public static WebApplication UseRejectEncodedDotSegments(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var target = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? string.Empty;
            var path = target.AsSpan();
            if (path.IndexOf('?') is var query and >= 0)
            {
                path = path[..query];
            }

            if (path.Contains("%2e", StringComparison.OrdinalIgnoreCase) || path.Contains("%2f", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(
                    """{"error":{"message":"Percent-encoded dots and slashes are not allowed in the path.","type":"invalid_request_error","param":null,"code":"invalid_path"}}""",
                    context.RequestAborted);
                return;
            }

            await next(context);
        });
        return app;
    }
}
