namespace PatternTts.Router.Tests;

public sealed class AdminApiTests(RouterFixture fixture) : IClassFixture<RouterFixture>
{
    [Fact]
    public async Task PuttingAPercentageChangesRoutingWithoutRestart()
    {
        // Arrange
        fixture.Reset(0);
        var before = await ArmsAsync(200);

        // Act
        using var put = await fixture.Client.SendAsync(fixture.Admin(HttpMethod.Put, "/admin/rollout", new { percentage = 50 }));
        var state = await put.Content.ReadFromJsonAsync<RolloutStatusResponse>(HttpExtensions.JsonOptions);
        var after = await ArmsAsync(200);

        // Assert
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(50, state!.Percentage);
        Assert.Equal(RolloutStatus.Active, state.State);
        Assert.Equal("admin", state.Source);
        Assert.Equal(0, before.Count(a => a == "new"));
        Assert.InRange(after.Count(a => a == "new"), 70, 130);
        Assert.Equal(50, (await fixture.GetRolloutAsync()).Percentage);
    }

    [Fact]
    public async Task GetReturnsTheStateAsJson()
    {
        // Arrange
        fixture.Reset(10);

        // Act
        using var response = await fixture.Client.SendAsync(fixture.Admin(HttpMethod.Get, "/admin/rollout"));
        var raw = await response.Content.ReadAsStringAsync();

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"percentage\":10", raw);
        Assert.Contains("\"phase\":2", raw);
        Assert.Contains("\"state\":\"active\"", raw);
        Assert.Contains("\"shadow\":{", raw);
    }

    [Theory]
    [InlineData(1, null, 0, true)]
    [InlineData(2, 30, 30, false)]
    [InlineData(3, null, 100, false)]
    public async Task PhasePresetsSetPercentageAndShadow(int phase, int? percentage, int expectedPercentage, bool shadow)
    {
        // Arrange
        fixture.Reset(10);

        // Act
        using var response = await fixture.Client.SendAsync(fixture.Admin(HttpMethod.Post, "/admin/rollout/phase", new { phase, percentage }));
        var state = await response.Content.ReadFromJsonAsync<RolloutStatusResponse>(HttpExtensions.JsonOptions);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((RolloutPhase)phase, state!.Phase);
        Assert.Equal(expectedPercentage, state.Percentage);
        Assert.Equal(shadow, state.Shadow.Enabled);
    }

    [Fact]
    public async Task RollbackSetsZeroAndRolledBackUntilAnOperatorRaisesIt()
    {
        // Arrange
        fixture.Reset(40);

        // Act
        using var rollback = await fixture.Client.SendAsync(fixture.Admin(HttpMethod.Post, "/admin/rollout/rollback"));
        var rolledBack = await rollback.Content.ReadFromJsonAsync<RolloutStatusResponse>(HttpExtensions.JsonOptions);
        var arms = await ArmsAsync(50);
        using var raise = await fixture.Client.SendAsync(fixture.Admin(HttpMethod.Put, "/admin/rollout", new { percentage = 5 }));
        var raised = await raise.Content.ReadFromJsonAsync<RolloutStatusResponse>(HttpExtensions.JsonOptions);

        // Assert
        Assert.Equal(0, rolledBack!.Percentage);
        Assert.Equal(RolloutStatus.RolledBack, rolledBack.State);
        Assert.All(arms, a => Assert.Equal("legacy", a));
        Assert.Equal(RolloutStatus.Active, raised!.State);
        Assert.Equal(5, raised.Percentage);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task MissingOrWrongKeyIsRejected(string? key)
    {
        // Arrange
        fixture.Reset(10);

        // Act
        using var get = await fixture.Client.SendAsync(fixture.Admin(HttpMethod.Get, "/admin/rollout", key: key));
        using var put = await fixture.Client.SendAsync(fixture.Admin(HttpMethod.Put, "/admin/rollout", new { percentage = 90 }, key));
        using var rollback = await fixture.Client.SendAsync(fixture.Admin(HttpMethod.Post, "/admin/rollout/rollback", key: key));

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, rollback.StatusCode);
        var error = await ErrorShape.AssertAsync(put);
        Assert.Equal("authentication_error", error.GetProperty("type").GetString());
        Assert.Equal(10, fixture.Store.Current.Percentage);
    }

    [Fact]
    public async Task OutOfRangePercentageIsABadRequestInOpenAiShape()
    {
        // Arrange
        fixture.Reset(10);

        // Act
        using var response = await fixture.Client.SendAsync(fixture.Admin(HttpMethod.Put, "/admin/rollout", new { percentage = 101 }));

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorShape.AssertAsync(response);
        Assert.Equal("percentage", error.GetProperty("param").GetString());
        Assert.Equal(10, fixture.Store.Current.Percentage);
    }

    private async Task<List<string?>> ArmsAsync(int users)
    {
        var arms = new List<string?>();
        for (var i = 0; i < users; i++)
        {
            using var response = await fixture.Client.SendAsync(fixture.Speech($"admin-user-{i}"));
            arms.Add(response.Arm());
        }

        return arms;
    }
}
