namespace PatternTts.Router.Tests;

public sealed class ConfigurationReloadTests(RouterFixture fixture) : IClassFixture<RouterFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        fixture.Reload(("Rollout:Percentage", "0"), ("Rollout:Phase", "2"), ("Rollout:AllowForcedArm", "true"),
            ("Rollout:AdminKey", RouterFixture.AdminKey));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ReloadedPercentageTakesEffectWithoutRestart()
    {
        // Arrange
        fixture.Reset(0);
        fixture.Reload(("Rollout:Percentage", "0"));

        // Act
        fixture.Reload(("Rollout:Percentage", "50"));
        var state = await fixture.GetRolloutAsync();
        var onNew = 0;
        for (var i = 0; i < 200; i++)
        {
            using var response = await fixture.Client.SendAsync(fixture.Speech($"reload-user-{i}"));
            onNew += response.Arm() == "new" ? 1 : 0;
        }

        // Assert
        Assert.Equal(50, state.Percentage);
        Assert.Equal("configuration", state.Source);
        Assert.InRange(onNew, 70, 130);
    }

    [Fact]
    public async Task UnrelatedReloadKeepsAnAdminChange()
    {
        // Arrange
        fixture.Reload(("Rollout:Percentage", "10"));
        using var put = await fixture.Client.SendAsync(fixture.Admin(HttpMethod.Put, "/admin/rollout", new { percentage = 35 }));

        // Act
        fixture.Reload(("Rollout:ShadowSampleRate", "0.5"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(35, (await fixture.GetRolloutAsync()).Percentage);
        fixture.Reload(("Rollout:ShadowSampleRate", "1"));
    }

    [Fact]
    public async Task ReloadedPhaseThreeRetiresLegacy()
    {
        // Arrange
        fixture.Reset(0);

        // Act
        fixture.Reload(("Rollout:Phase", "3"));
        using var response = await fixture.Client.SendAsync(fixture.Speech("phase-user", forcedArm: "legacy"));

        // Assert
        Assert.Equal("new", response.Arm());
        Assert.Empty(fixture.Legacy.Requests);
        Assert.Equal(100, (await fixture.GetRolloutAsync()).Percentage);
    }

    [Fact]
    public async Task ForcedArmCanBeSwitchedOffByConfiguration()
    {
        // Arrange
        fixture.Reset(0);

        // Act
        fixture.Reload(("Rollout:AllowForcedArm", "false"));
        using var ignored = await fixture.Client.SendAsync(fixture.Speech("forcing-user", forcedArm: "new"));
        fixture.Reload(("Rollout:AllowForcedArm", "true"));
        using var honoured = await fixture.Client.SendAsync(fixture.Speech("forcing-user", forcedArm: "new"));

        // Assert
        Assert.Equal("legacy", ignored.Arm());
        Assert.Equal("new", honoured.Arm());
    }

    [Fact]
    public async Task EmptyAdminKeyDisablesTheAdminApi()
    {
        // Arrange
        fixture.Reset(20);

        // Act
        fixture.Reload(("Rollout:AdminKey", ""));
        using var get = await fixture.Client.SendAsync(fixture.Admin(HttpMethod.Get, "/admin/rollout", key: null));
        using var put = await fixture.Client.SendAsync(fixture.Admin(HttpMethod.Put, "/admin/rollout", new { percentage = 90 }, key: RouterFixture.AdminKey));
        fixture.Reload(("Rollout:AdminKey", RouterFixture.AdminKey));

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        var error = await ErrorShape.AssertAsync(put);
        Assert.Equal("admin_disabled", error.GetProperty("code").GetString());
        Assert.Equal(20, fixture.Store.Current.Percentage);
        Assert.Equal(RolloutStatus.Active, fixture.Store.Current.Status);
    }
}
