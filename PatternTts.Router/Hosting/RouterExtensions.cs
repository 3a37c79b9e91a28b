using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.FeatureManagement;
using PatternTts.Router.Health;
using PatternTts.Router.Proxy;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace PatternTts.Router.Hosting;

public static class RouterExtensions
{
    public const string ReverseProxySectionName = "ReverseProxy";

    /// <summary>
    /// Optional path of a JSON file layered over everything else and watched for changes: the Helm chart mounts its
    /// ConfigMap here (with <c>DOTNET_USE_POLLING_FILE_WATCHER=true</c>, since Kubernetes swaps a symlink that
    /// inotify on the file itself never reports).
    /// </summary>
    public const string ConfigFileKey = "Router:ConfigFile";

    /// <summary>The Aspire connection name of the shared rollout store (<c>ConnectionStrings__redis</c>).</summary>
    public const string RedisConnectionName = "redis";

    public static IHostApplicationBuilder AddRouterServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        if (builder.Configuration[ConfigFileKey] is { Length: > 0 } configFile)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(configFile, builder.Environment.ContentRootPath), optional: true, reloadOnChange: true);
        }

        services.AddOptions<RolloutOptions>().BindConfiguration(RolloutOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();

        services.AddSingleton<RouterReplica>();
        services.AddSingleton<RolloutStoreHealth>();
        // One rollout state for a fleet of routers, when Aspire (or the chart) names a Redis. Its own health check
        // stays off: the store being down must never make a router unready, routing goes on with the last state.
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(RedisConnectionName)))
        {
            builder.AddRedisClient(RedisConnectionName, settings => settings.DisableHealthChecks = true, redis =>
            {
                redis.AbortOnConnectFail = false;
                redis.ConnectTimeout = 2000;
                redis.AsyncTimeout = 2000;
                redis.SyncTimeout = 2000;
            });
            services.AddSingleton<IRolloutStateShare, RedisRolloutStateShare>();
            services.AddSingleton<IProgressionLease, RedisProgressionLease>();
            services.AddSingleton<RedisSloSampleShare>();
            services.AddHostedService<RolloutStoreSync>();
            services.AddHostedService<SloShareSync>();
        }
        else
        {
            services.AddSingleton<IProgressionLease, LocalProgressionLease>();
        }

        services.AddHostedService<ProgressionDriver>();

        services.AddSingleton<RolloutStateStore>();
        // Registered before AddFeatureManagement, whose TryAdd then keeps this provider instead of the configuration one.
        services.AddSingleton<IFeatureDefinitionProvider, RolloutFeatureDefinitionProvider>();
        services.AddFeatureManagement().WithTargeting<RolloutTargetingContextAccessor>();
        services.AddSingleton<ArmSelector>();

        services.AddSingleton<RouterMetrics>();
        services.AddSingleton<SloMonitor>();
        services.AddSingleton<ArmAddresses>();
        services.AddSingleton<ShadowMirror>();
        services.AddSingleton<ShadowComparison>();
        services.AddSingleton<ArmHealthProbe>();
        services.AddSingleton<AdminKeyFailures>();

        // Shadow traffic and probes measure the arm as it is: retries from the default resilience handler would hide
        // failures and multiply load on an arm that is already struggling.
#pragma warning disable EXTEXP0001 // Experimental but the supported way to opt one client out of ConfigureHttpClientDefaults.
        services.AddHttpClient(ShadowMirror.HttpClientName).RemoveAllResilienceHandlers();
        services.AddHttpClient(ArmHealthProbe.HttpClientName).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        // Destinations such as http://tts-service resolve through Aspire's services:* configuration; plain
        // addresses (http://localhost:8880) pass through unchanged.
        services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection(ReverseProxySectionName))
            .AddServiceDiscoveryDestinationResolver()
            .AddTransforms<RolloutTransformProvider>();
        AspireOnlyDestinationResolver.Decorate(services);

        var telemetry = services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(RouterMetrics.MeterName));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.WithTracing(tracing => tracing.AddSource("Yarp.ReverseProxy"));
        }

        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, RouterJsonContext.Default));
        return builder;
    }

    /// <summary>The router's own failures and unknown paths answer in OpenAI's error shape; proxied answers are left alone.</summary>
    public static WebApplication UseRouterErrors(this WebApplication app)
    {
        app.UseExceptionHandler(errors => errors.Run(context =>
            RouterErrors.WriteAsync(context, StatusCodes.Status500InternalServerError, "The router failed to handle the request.",
                RouterErrors.ServerError, "internal_error")));

        app.UseStatusCodePages(context =>
        {
            var http = context.HttpContext;
            if (http.Features.Get<IReverseProxyFeature>() is not null)
            {
                return Task.CompletedTask;
            }

            var status = http.Response.StatusCode;
            return RouterErrors.WriteAsync(http, status, ReasonPhrases.GetReasonPhrase(status),
                status >= 500 ? RouterErrors.ServerError : RouterErrors.InvalidRequest, status == 404 ? "not_found" : null);
        });

        return app;
    }

    /// <summary>Optional bearer keys (Router:ApiKeys, comma-separated) for the proxied API; health and admin keep their own rules.</summary>
    public const string ApiKeysKey = "Router:ApiKeys";

    public static WebApplication UseRouterApiKeys(this WebApplication app)
    {
        app.UseApiKeys(ApiKeys.Parse(app.Configuration[ApiKeysKey]), path =>
            path.StartsWithSegments("/v1") || path.StartsWithSegments("/dev") || path.StartsWithSegments("/audio-proxy"));
        return app;
    }

    public static ReverseProxyConventionBuilder MapRolloutProxy(this WebApplication app)
    {
        // Created now rather than on the first request, so the gauges and the configuration-change subscription
        // (and its change log) exist from startup.
        app.Services.GetRequiredService<RouterMetrics>();

        return app.MapReverseProxy(proxy =>
        {
            proxy.UseArmSelection();
            proxy.UseShadowMirror();
            proxy.UseArmFailover();
            // A custom pipeline replaces the default one, so the built-in steps are added back.
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
    }
}
