using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.Hosting;

/// <summary>The paths every Pattern TTS process answers probes and scrapes on, and the tags that choose its checks.</summary>
public static class HealthEndpoints
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    public const string ReadinessEndpointPath = "/ready";
    public const string MetricsEndpointPath = "/metrics";

    /// <summary>Health checks tagged with this take part in liveness (<c>/alive</c>).</summary>
    public const string LiveTag = "live";

    /// <summary>Health checks tagged with this take part in readiness (<c>/ready</c>).</summary>
    public const string ReadyTag = "ready";

    /// <summary>The probe and scrape paths, which no filter or key check may close.</summary>
    public static bool IsInfrastructurePath(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath)
        || path.StartsWithSegments(AlivenessEndpointPath)
        || path.StartsWithSegments(ReadinessEndpointPath)
        || path.StartsWithSegments(MetricsEndpointPath);
}
