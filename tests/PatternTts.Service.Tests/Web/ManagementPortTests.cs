using System.Net;

namespace PatternTts.Service.Tests.Web;

/// <summary>
/// Outside Development the figures in /metrics are for Prometheus, not for the clients on the public port: the real
/// service process, as the chart starts it, serves them on its management port only.
/// </summary>
public sealed class ManagementPortTests
{
    [Fact]
    public async Task InProductionMetricsAnswerOnTheManagementPortAndNotOnThePublicOne()
    {
        // Arrange
        var publicPort = LocalProcess.FreePort();
        var managementPort = LocalProcess.FreePort();
        await using var service = await StartProductionServiceAsync(publicPort, managementPort);
        using var client = new HttpClient();

        // Act
        using var publicMetrics = await client.GetAsync($"http://127.0.0.1:{publicPort}/metrics");
        using var managementMetrics = await client.GetAsync($"http://127.0.0.1:{managementPort}/metrics");
        using var managementApi = await client.GetAsync($"http://127.0.0.1:{managementPort}/v1/models");
        using var managementAlive = await client.GetAsync($"http://127.0.0.1:{managementPort}/alive");
        using var publicApi = await client.GetAsync($"http://127.0.0.1:{publicPort}/v1/models");

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, publicMetrics.StatusCode);
        Assert.Equal("not_found", (await ServiceClient.ReadErrorAsync(publicMetrics)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, managementMetrics.StatusCode);
        Assert.Contains("http_server_request_duration_seconds", await managementMetrics.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, managementApi.StatusCode);
        Assert.Equal(HttpStatusCode.OK, managementAlive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, publicApi.StatusCode);
        Assert.Contains($"on the management port {managementPort} only", service.Output);
    }

    [Fact]
    public async Task InProductionWithoutAManagementPortMetricsAreOffAndTheLogSaysHowToServeThem()
    {
        var publicPort = LocalProcess.FreePort();
        await using var service = await StartProductionServiceAsync(publicPort, managementPort: null);
        using var client = new HttpClient();

        using var metrics = await client.GetAsync($"http://127.0.0.1:{publicPort}/metrics");

        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        Assert.Contains("Management__Port", service.Output);
    }

    [Fact]
    public async Task OperatorsCanKeepMetricsOnThePublicPortOnPurpose()
    {
        using var factory = new ServiceFactory().InEnvironment("Production").With("Management:PublicMetrics", "true");
        var client = factory.CreateClient();

        using var metrics = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }

    private static Task<LocalProcess> StartProductionServiceAsync(int publicPort, int? managementPort)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{publicPort}",
            ["TTS_MODEL_PATH"] = "/nonexistent",
        };
        if (managementPort is { } port)
        {
            environment["Management__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return LocalProcess.StartDotnetAppAsync("PatternTts.Service.dll", environment, new Uri($"http://127.0.0.1:{publicPort}/alive"));
    }
}
