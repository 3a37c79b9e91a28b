using System.Globalization;

namespace PatternTts.Router.Tests;

public sealed class HealthTests(RouterFixture fixture) : IClassFixture<RouterFixture>
{
    [Fact]
    public async Task HealthReportsBothArmsHealthy()
    {
        // Arrange
        fixture.Reset(25);

        // Act
        using var response = await fixture.Client.GetAsync("/health");
        var health = await response.Content.ReadFromJsonAsync<RouterHealthResponse>(HttpExtensions.JsonOptions);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", health!.Status);
        Assert.Equal("pattern-tts-router", health.Service);
        Assert.Equal(25, health.Rollout.Percentage);
        Assert.Equal(ArmHealthStatus.Healthy, health.Arms.Legacy.Status);
        Assert.Equal(ArmHealthStatus.Healthy, health.Arms.New.Status);
    }

    [Fact]
    public async Task HealthShowsTheArmsAddressesOnlyToTheAdminOutsideDevelopment()
    {
        // Arrange
        fixture.Reset(25);

        // Act
        using var anonymous = await fixture.Client.GetAsync("/health");
        using var admin = await fixture.Client.SendAsync(fixture.Admin(HttpMethod.Get, "/health"));
        var withoutKey = await anonymous.Content.ReadFromJsonAsync<RouterHealthResponse>(HttpExtensions.JsonOptions);
        var withKey = await admin.Content.ReadFromJsonAsync<RouterHealthResponse>(HttpExtensions.JsonOptions);

        // Assert
        Assert.Null(withoutKey!.Arms.New.Address);
        Assert.Null(withoutKey.Arms.Legacy.Address);
        Assert.DoesNotContain(fixture.New.Address.Authority, await anonymous.Content.ReadAsStringAsync());
        Assert.Equal(fixture.New.Address.ToString(), withKey!.Arms.New.Address);
        Assert.Equal(fixture.Legacy.Address.ToString(), withKey.Arms.Legacy.Address);
    }

    [Fact]
    public async Task UnhealthyArmMakesTheRouterDegradedButStillUp()
    {
        // Arrange
        fixture.Reset(25);
        fixture.New.Mode = ArmMode.ServiceUnavailable;

        // Act
        using var response = await fixture.Client.GetAsync("/health");
        var health = await response.Content.ReadFromJsonAsync<RouterHealthResponse>(HttpExtensions.JsonOptions);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("degraded", health!.Status);
        Assert.Equal(ArmHealthStatus.Unhealthy, health.Arms.New.Status);
        Assert.Equal(503, health.Arms.New.StatusCode);
    }

    [Fact]
    public async Task PhaseThreeDoesNotProbeLegacy()
    {
        // Arrange
        fixture.Reset(phase: 3);
        var probesBefore = fixture.Legacy.HealthProbes;

        // Act
        using var response = await fixture.Client.GetAsync("/health");
        var health = await response.Content.ReadFromJsonAsync<RouterHealthResponse>(HttpExtensions.JsonOptions);

        // Assert
        Assert.Equal("healthy", health!.Status);
        Assert.Equal(ArmHealthStatus.Disabled, health.Arms.Legacy.Status);
        Assert.Equal(probesBefore, fixture.Legacy.HealthProbes);
    }

    [Fact]
    public async Task MetricsEndpointExposesRouterInstruments()
    {
        // Arrange
        fixture.Reset(0);
        using var proxied = await fixture.Client.SendAsync(fixture.Speech("metrics-user"));

        // Act
        var metrics = await fixture.Client.GetStringAsync("/metrics");

        // Assert
        Assert.Contains("pattern_router_requests", metrics);
        Assert.Contains("pattern_router_rollout_percentage", metrics);
    }

    [Fact]
    public async Task InProductionMetricsAnswerOnTheManagementPortAndThePublicPortNeverProxiesThem()
    {
        // Arrange: the real router process, as the chart starts it.
        var publicPort = LocalProcess.FreePort();
        var managementPort = LocalProcess.FreePort();
        await using var router = await LocalProcess.StartDotnetAppAsync("PatternTts.Router.dll", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_HTTP_PORTS"] = publicPort.ToString(CultureInfo.InvariantCulture),
            ["Management__Port"] = managementPort.ToString(CultureInfo.InvariantCulture),
            ["ReverseProxy__Clusters__legacy__Destinations__d1__Address"] = fixture.Legacy.Address.ToString(),
            ["ReverseProxy__Clusters__new__Destinations__d1__Address"] = fixture.New.Address.ToString(),
        }, new Uri($"http://127.0.0.1:{publicPort}/alive"));
        using var client = new HttpClient();
        int ProxiedMetrics() => fixture.Legacy.Requests.Concat(fixture.New.Requests).Count(r => r.PathAndQuery.StartsWith("/metrics", StringComparison.Ordinal));
        var proxiedBefore = ProxiedMetrics();

        // Act
        using var publicMetrics = await client.GetAsync($"http://127.0.0.1:{publicPort}/metrics");
        using var managementMetrics = await client.GetAsync($"http://127.0.0.1:{managementPort}/metrics");
        using var managementProxy = await client.GetAsync($"http://127.0.0.1:{managementPort}/v1/models");
        using var managementAlive = await client.GetAsync($"http://127.0.0.1:{managementPort}/alive");

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, publicMetrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, managementMetrics.StatusCode);
        Assert.Contains("pattern_router_rollout_percentage", await managementMetrics.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, managementProxy.StatusCode);
        Assert.Equal(HttpStatusCode.OK, managementAlive.StatusCode);
        Assert.Equal(proxiedBefore, ProxiedMetrics());
    }
}
