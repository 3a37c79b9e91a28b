using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Where <c>/metrics</c> is served. <see cref="Port"/> opens a management port of its own for the scrape and the
/// probes, which the cluster lets only Prometheus reach; <see cref="PublicMetrics"/> says whether the public port
/// answers <c>/metrics</c> too (<c>auto</c>: in Development only), so a production pod never shows its figures to
/// the clients it serves by accident.
/// </summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Management";

    [Range(1, 65535)]
    public int? Port { get; set; }

    public string PublicMetrics { get; set; } = FeatureSwitch.Auto;
}

public static class ManagementEndpoints
{
    internal static void AddManagementOptions(this IHostApplicationBuilder builder) =>
        builder.Services.AddOptions<ManagementOptions>()
            .BindConfiguration(ManagementOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(options => FeatureSwitch.IsValid(options.PublicMetrics),
                $"{ManagementOptions.SectionName}:{nameof(ManagementOptions.PublicMetrics)} must be auto, true or false.")
            .ValidateOnStart();

    /// <summary>
    /// Adds the management port (when <c>Management:Port</c> is set) to the addresses the app already listens on
    /// (<c>urls</c>, or <c>http_ports</c>), so the public port keeps its configuration. Call after the public
    /// addresses are set.
    /// </summary>
    public static WebApplicationBuilder UseManagementPort(this WebApplicationBuilder builder)
    {
        if (!int.TryParse(builder.Configuration[$"{ManagementOptions.SectionName}:{nameof(ManagementOptions.Port)}"], out var port))
        {
            return builder;
        }

        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey];
        var httpPorts = builder.Configuration[WebHostDefaults.HttpPortsKey];
        var publicUrls = !string.IsNullOrWhiteSpace(urls) ? urls
            : !string.IsNullOrWhiteSpace(httpPorts)
                ? string.Join(';', httpPorts.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}"))
                : "http://localhost:5000";
        builder.WebHost.UseUrls($"{publicUrls};http://*:{port}");
        return builder;
    }

    /// <summary>
    /// Keeps the two ports apart: the management port answers only the probe and scrape paths, the public port
    /// answers <c>/metrics</c> only when <c>Management:PublicMetrics</c> allows it. The port is the one the
    /// connection arrived on, never the Host header, which the client writes.
    /// </summary>
    internal static void UseManagementPortGuard(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ManagementOptions>>().Value;
        var publicMetrics = FeatureSwitch.IsOn(options.PublicMetrics, app.Environment);
        app.Logger.LogInformation("Metrics: {Where}.", (options.Port, publicMetrics) switch
        {
            ({ } port, true) => $"on the management port {port} and the public port",
            ({ } port, false) => $"on the management port {port} only",
            (null, true) => "on the public port",
            (null, false) => $"off (set {ManagementOptions.SectionName}__{nameof(ManagementOptions.Port)} to serve them on a port of their own)",
        });

        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            var onManagementPort = options.Port is { } port && context.Connection.LocalPort == port;
            var refused = onManagementPort
                ? !HealthEndpoints.IsInfrastructurePath(path)
                : !publicMetrics && path.StartsWithSegments(HealthEndpoints.MetricsEndpointPath);
            if (refused)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
    }
}
