namespace PatternTts.Router.Tests;

public sealed class ShadowTests(RouterFixture fixture) : IClassFixture<RouterFixture>
{
    [Fact]
    public async Task ShadowRequestsReachNewWhileClientsOnlySeeLegacy()
    {
        // Arrange: phase 1, every request sampled, and the new arm holding shadow requests until released, so the
        // client responses below can only complete if shadowing never waits for the new arm.
        fixture.Reset(phase: 1);
        var before = (await Eventually.WaitAsync(fixture.GetRolloutAsync, s => s.Shadow.InFlight == 0, "idle shadow")).Shadow;
        fixture.New.Requests.Clear();
        fixture.New.ShadowGate = FakeArm.NewGate();
        const int requests = 10;

        // Act
        var responses = new List<(HttpStatusCode Status, string? Arm, string Body)>();
        int held;
        try
        {
            for (var i = 0; i < requests; i++)
            {
                using var response = await fixture.Client.SendAsync(fixture.Speech($"shadow-user-{i}", "/audio-proxy/tts"));
                responses.Add((response.StatusCode, response.Arm(), await response.Content.ReadAsStringAsync()));
            }

            held = await Eventually.WaitAsync(() => Task.FromResult(fixture.New.Requests.Count), n => n >= requests, "shadow requests at the new arm");
        }
        finally
        {
            // Opened on every path: held mirrors occupy shadow slots that the next test waits to see free.
            fixture.New.ShadowGate.TrySetResult();
        }

        var after = await Eventually.WaitAsync(async () => (await fixture.GetRolloutAsync()).Shadow,
            s => s.Succeeded - before.Succeeded >= requests, "shadow results");

        // Assert
        Assert.All(responses, r =>
        {
            Assert.Equal(HttpStatusCode.OK, r.Status);
            Assert.Equal("legacy", r.Arm);
            Assert.StartsWith("served-by:legacy;", r.Body);
        });
        Assert.Equal(requests, held);
        Assert.All(fixture.New.Requests, r =>
        {
            Assert.True(r.Shadow, "the new arm got live traffic");
            Assert.Equal("/v1/audio/speech", r.PathAndQuery);
        });
        Assert.Equal(fixture.Legacy.Requests.Select(r => r.Body).Order(), fixture.New.Requests.Select(r => r.Body).Order());
        Assert.True(after.Enabled);
        Assert.Equal(0, after.Failed - before.Failed);
        Assert.True(after.Window.Samples >= requests, $"{after.Window.Samples} shadow samples in the window");
    }

    [Fact]
    public async Task ShadowIsBoundedByDroppingNotQueueing()
    {
        // Arrange
        fixture.Reset(phase: 1);
        // Mirrors released by an earlier test may still be finishing and would hold slots of the small bound.
        var before = (await Eventually.WaitAsync(fixture.GetRolloutAsync, s => s.Shadow.InFlight == 0, "idle shadow")).Shadow;
        fixture.Reload(("Rollout:ShadowMaxConcurrency", "2"));
        var gate = fixture.New.ShadowGate = FakeArm.NewGate();

        // Act
        var arms = new List<string?>();
        ShadowStatus during;
        try
        {
            for (var i = 0; i < 6; i++)
            {
                using var response = await fixture.Client.SendAsync(fixture.Speech($"bounded-user-{i}"));
                arms.Add(response.Arm());
            }

            during = (await fixture.GetRolloutAsync()).Shadow;
        }
        finally
        {
            gate.TrySetResult();
            fixture.Reload(("Rollout:ShadowMaxConcurrency", "64"));
        }

        // Assert
        Assert.All(arms, a => Assert.Equal("legacy", a));
        Assert.Equal(2, during.Sent - before.Sent);
        Assert.Equal(4, during.Dropped - before.Dropped);
    }

    [Fact]
    public async Task PhaseTwoDoesNotShadow()
    {
        // Arrange
        fixture.Reset(0, phase: 2);

        // Act
        using var response = await fixture.Client.SendAsync(fixture.Speech("no-shadow-user"));

        // Assert
        Assert.Equal("legacy", response.Arm());
        Assert.Empty(fixture.New.Requests);
    }
}
