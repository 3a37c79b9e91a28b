using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PatternTts.Service.Hosting;

/// <summary>Ready only when a request would be served: Degraded (503 on /ready) while the model is missing or loading.</summary>
internal sealed class EngineReadyCheck(EngineSelector engines) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = engines.Status;
        var data = new Dictionary<string, object> { ["engine"] = status.Engine, ["model"] = status.Model };
        return Task.FromResult(status.Ready
            ? HealthCheckResult.Healthy(status.Warning ?? $"Serving with {status.Engine}.", data)
            : HealthCheckResult.Degraded(status.Reason, data: data));
    }
}
