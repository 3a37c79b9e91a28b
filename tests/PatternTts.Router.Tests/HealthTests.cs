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
}
