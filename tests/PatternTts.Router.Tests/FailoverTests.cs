namespace PatternTts.Router.Tests;

public sealed class FailoverTests(RouterFixture fixture) : IClassFixture<RouterFixture>, IAsyncLifetime
{
    private const int Requests = 200;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await fixture.New.StopAsync();
        await fixture.New.StartAsync();
        await fixture.Legacy.StopAsync();
        await fixture.Legacy.StartAsync();
    }

    [Fact]
    public async Task NewArmRefusingConnectionsStillServesAtLeastNinetyNinePercent()
    {
        // Arrange
        fixture.Reset(50);
        await fixture.New.StopAsync();

        // Act
        var results = await SendAsync("refused");

        // Assert
        Assert.True(results.Ok >= Requests * 99 / 100, $"{results.Ok}/{Requests} succeeded");
        Assert.All(results.Arms, a => Assert.Equal("legacy", a));
        Assert.Equal(Requests, fixture.Legacy.Requests.Count);
    }

    [Fact]
    public async Task LegacyAnsweringServiceUnavailableFailsOverToNew()
    {
        // Arrange
        fixture.Reset(0);
        fixture.Legacy.Mode = ArmMode.ServiceUnavailable;

        // Act
        var results = await SendAsync("legacy-503");

        // Assert
        Assert.True(results.Ok >= Requests * 99 / 100, $"{results.Ok}/{Requests} succeeded");
        Assert.All(results.Arms, a => Assert.Equal("new", a));
        Assert.All(results.Bodies, b => Assert.StartsWith("served-by:new;", b));
        Assert.Equal(Requests, fixture.New.Requests.Count);
    }

    [Fact]
    public async Task RetriedRequestCarriesTheSameBody()
    {
        // Arrange
        fixture.Reset(100);
        fixture.New.Mode = ArmMode.ServiceUnavailable;

        // Act
        using var response = await fixture.Client.SendAsync(fixture.Speech("body-user", body: "the body must survive a replay"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("legacy", response.Arm());
        Assert.Equal(Assert.Single(fixture.New.Requests).Body, Assert.Single(fixture.Legacy.Requests).Body);
        Assert.Contains("the body must survive a replay", fixture.Legacy.Requests.Single().Body);
    }

    [Theory]
    [InlineData("GET", "/v1/models")]
    [InlineData("GET", "/v1/audio/voices")]
    [InlineData("HEAD", "/web")]
    public async Task BodilessRequestToADownArmIsAnsweredByTheOtherArm(string method, string path)
    {
        // Arrange
        fixture.Reset(100);
        await fixture.New.StopAsync();

        // Act
        using var response = await fixture.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("legacy", response.Arm());
        Assert.Equal(path, Assert.Single(fixture.Legacy.Requests).PathAndQuery);
    }

    [Fact]
    public async Task BodilessRequestWithBothArmsDownGetsTheSameBadGatewayAsAPost()
    {
        // Arrange
        fixture.Reset(100);
        await fixture.New.StopAsync();
        await fixture.Legacy.StopAsync();

        // Act
        using var get = await fixture.Client.GetAsync("/v1/models");
        using var post = await fixture.Client.SendAsync(fixture.Speech("both-down"));

        // Assert
        Assert.Equal(HttpStatusCode.BadGateway, get.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, post.StatusCode);
        var error = (await get.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("error");
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal("upstream_unavailable", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task InternalServerErrorIsNotRetried()
    {
        // Arrange
        fixture.Reset(100);
        fixture.New.Mode = ArmMode.InternalError;

        // Act
        using var response = await fixture.Client.SendAsync(fixture.Speech("error-user"));

        // Assert
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("new", response.Arm());
        Assert.Empty(fixture.Legacy.Requests);
    }

    [Fact]
    public async Task PhaseThreeNeverFailsOverToRetiredLegacy()
    {
        // Arrange
        fixture.Reset(phase: 3);
        fixture.New.Mode = ArmMode.ServiceUnavailable;

        // Act
        using var response = await fixture.Client.SendAsync(fixture.Speech("phase3-user"));

        // Assert
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(fixture.Legacy.Requests);
    }

    private async Task<(int Ok, List<string?> Arms, List<string> Bodies)> SendAsync(string prefix)
    {
        var ok = 0;
        var arms = new List<string?>();
        var bodies = new List<string>();
        for (var i = 0; i < Requests; i++)
        {
            using var response = await fixture.Client.SendAsync(fixture.Speech($"{prefix}-{i}"));
            ok += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
            arms.Add(response.Arm());
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        return (ok, arms, bodies);
    }
}
