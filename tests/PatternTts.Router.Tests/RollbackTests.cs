namespace PatternTts.Router.Tests;

public sealed class RollbackFixture : RouterFixture
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Rollout:Rollback:Enabled"] = "true";
        settings["Rollout:Rollback:MinSamples"] = "20";
        settings["Rollout:Rollback:MinP95DifferenceMilliseconds"] = "50";
    }
}

public sealed class RollbackTests(RollbackFixture fixture) : IClassFixture<RollbackFixture>
{
    [Fact]
    public async Task FailingNewArmRollsBackToZeroWhileClientsKeepSucceeding()
    {
        // Arrange
        fixture.Reset(50);
        fixture.New.Mode = ArmMode.ServiceUnavailable;

        // Act
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 100; i++)
        {
            using var response = await fixture.Client.SendAsync(fixture.Speech($"rollback-user-{i}"));
            statuses.Add(response.StatusCode);
        }

        var state = await fixture.GetRolloutAsync();
        var newRequestsAtRollback = fixture.New.Requests.Count;
        using var after = await fixture.Client.SendAsync(fixture.Speech("after-rollback"));

        // Assert
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(0, state.Percentage);
        Assert.Equal(RolloutStatus.RolledBack, state.State);
        Assert.Equal("slo", state.Source);
        Assert.Contains("success rate", state.Reason);
        Assert.Equal(20, newRequestsAtRollback);
        Assert.Equal("legacy", after.Arm());
    }

    [Fact]
    public async Task SlowNewArmRollsBackOnP95AgainstLegacy()
    {
        // Arrange
        fixture.Reset(50);
        fixture.New.Delay = TimeSpan.FromMilliseconds(150);

        // Act
        for (var i = 0; i < 120 && fixture.Store.Current.Status == RolloutStatus.Active; i++)
        {
            using var response = await fixture.Client.SendAsync(fixture.Speech($"slow-user-{i}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var state = await fixture.GetRolloutAsync();

        // Assert
        Assert.Equal(RolloutStatus.RolledBack, state.State);
        Assert.Equal(0, state.Percentage);
        Assert.Contains("time to first byte p95", state.Reason);
        Assert.Contains("legacy's", state.Reason);
    }

    [Fact]
    public async Task LongAnswersOnNewWithQuickFirstBytesAreNotRolledBack()
    {
        // Arrange: the new arm takes 150 ms to finish each answer but starts it at once, as a long stream does.
        fixture.Reset(50);
        fixture.New.TailDelay = TimeSpan.FromMilliseconds(150);

        // Act
        for (var i = 0; i < 120; i++)
        {
            using var response = await fixture.Client.SendAsync(fixture.Speech($"long-user-{i}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var state = await fixture.GetRolloutAsync();

        // Assert
        Assert.Equal(RolloutStatus.Active, state.State);
        Assert.True(state.Arms.New.TtfbSamples >= 20, $"only {state.Arms.New.TtfbSamples} samples on new");
        Assert.True(state.Arms.New.P95Milliseconds >= 150, $"new arm's whole-answer p95 is {state.Arms.New.P95Milliseconds} ms");
    }

    [Fact]
    public async Task FailuresAimedAtAForcedArmNeverRollTheRolloutBack()
    {
        // Arrange: the new arm fails every request, but only clients that force it see that.
        fixture.Reset(50);
        fixture.New.Mode = ArmMode.InternalError;

        // Act
        for (var i = 0; i < 60; i++)
        {
            using var response = await fixture.Client.SendAsync(fixture.Speech($"aimed-user-{i}", forcedArm: "new"));
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }

        var state = await fixture.GetRolloutAsync();

        // Assert
        Assert.Equal(RolloutStatus.Active, state.State);
        Assert.Equal(50, state.Percentage);
        Assert.Equal(0, state.Arms.New.Samples);
    }

    [Fact]
    public async Task HealthyNewArmIsNotRolledBack()
    {
        // Arrange: both arms answer in about a millisecond; a wide p95 margin keeps a scheduling hiccup on a busy
        // machine from reading as a regression.
        fixture.Reset(50);
        fixture.Reload(("Rollout:Rollback:MinP95DifferenceMilliseconds", "1000"));

        // Act
        for (var i = 0; i < 100; i++)
        {
            using var response = await fixture.Client.SendAsync(fixture.Speech($"healthy-user-{i}"));
        }

        var state = await fixture.GetRolloutAsync();
        fixture.Reload(("Rollout:Rollback:MinP95DifferenceMilliseconds", "50"));

        // Assert
        Assert.Equal(RolloutStatus.Active, state.State);
        Assert.Equal(50, state.Percentage);
        Assert.True(state.Arms.New.Samples >= 20, $"only {state.Arms.New.Samples} samples on new");
    }
}
