using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PatternTts.AppHost;

/// <summary>How the legacy Kokoro-FastAPI arm (port 8880) is provided.</summary>
internal enum LegacyMode
{
    /// <summary>Container when a container runtime answers, otherwise stand-in.</summary>
    Auto,

    /// <summary>The real legacy image.</summary>
    Container,

    /// <summary>A second PatternTts.Service process on the espeak-ng engine, for machines without a container runtime.</summary>
    Standin,

    /// <summary>An already running legacy service at the <c>legacy-url</c> parameter.</summary>
    External,
}

/// <summary>The legacy Kokoro-FastAPI arm as a container, a stand-in process or an external service, behind one name.</summary>
internal static partial class LegacyTtsExtensions
{
    public const string LegacyModeKey = "LegacyMode";
    public const string LegacyResourceName = "legacy-tts";
    public const int LegacyPort = 8880;
    public const string LegacyImage = "ghcr.io/remsky/kokoro-fastapi-cpu";
    public const string LegacyImageTag = "v0.2.4";

    public static LegacyMode GetLegacyMode(this IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration[LegacyModeKey];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return LegacyMode.Auto;
        }

        return Enum.TryParse<LegacyMode>(configured, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new InvalidOperationException(
                $"{LegacyModeKey} must be one of auto, container, standin, external; got '{configured}'.");
    }

    /// <summary>
    /// Adds <c>legacy-tts</c> in the given mode. <see cref="LegacyMode.Auto"/> is settled here, at model-building
    /// time, because the choice changes which kind of resource exists.
    /// </summary>
    public static IResourceBuilder<IResource> AddLegacyTts(this IDistributedApplicationBuilder builder, LegacyMode mode, ContainerRuntimeProbe containers)
    {
        var reason = "configured";
        if (mode == LegacyMode.Auto)
        {
            mode = containers.Answered ? LegacyMode.Container : LegacyMode.Standin;
            reason = $"auto: {containers.Reason}";
        }

        IResourceBuilder<IResource> legacy = mode switch
        {
            LegacyMode.Container => builder.AddContainer(LegacyResourceName, LegacyImage, LegacyImageTag)
                .WithHttpEndpoint(port: LegacyPort, targetPort: LegacyPort, name: "http")
                .WithHttpHealthCheck("/health"),

            // The launch profile would put this copy on the service's own port, so it is left out and 8880 given instead.
            LegacyMode.Standin => builder.AddProject<Projects.PatternTts_Service>(
                    LegacyResourceName, options => options.ExcludeLaunchProfile = true)
                .WithThisBuildsOutput()
                .WithHttpEndpoint(port: LegacyPort, name: "http", isProxied: false)
                .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
                .WithEnvironment("TTS_ENGINE", "espeak-ng")
                .WithEnvironment("PATTERN_LEGACY_MODE", "standin")
                .WithHttpHealthCheck("/ready"),

            LegacyMode.External => builder.AddExternalService(
                    LegacyResourceName,
                    builder.AddParameter("legacy-url")
                        .WithDescription("Base URL of a running legacy Kokoro-FastAPI, e.g. http://localhost:8880/"))
                .WithHttpHealthCheck("/health"),

            _ => throw new UnreachableException(),
        };

        var chosen = mode.ToString().ToLowerInvariant();
        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            var message = $"legacy-tts mode: {chosen} ({reason})";
            LogLegacyMode(e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PatternTts.AppHost"), message);
            LogLegacyMode(e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(legacy.Resource), message);
            return Task.CompletedTask;
        });

        return legacy;
    }

    /// <summary>References the legacy arm whatever kind of resource it is, so the router discovers it as <c>http://legacy-tts</c>.</summary>
    public static IResourceBuilder<ProjectResource> WithLegacyReference(
        this IResourceBuilder<ProjectResource> router, IResourceBuilder<IResource> legacy) => legacy switch
    {
        IResourceBuilder<ExternalServiceResource> external => router.WithReference(external),
        IResourceBuilder<IResourceWithEndpoints> withEndpoints => router.WithReference(withEndpoints.Resource.GetEndpoint("http")),
        _ => throw new InvalidOperationException($"Resource '{legacy.Resource.Name}' has no endpoint to reference."),
    };

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Message}")]
    private static partial void LogLegacyMode(ILogger logger, string message);
}
