using System.Net.Http.Json;

namespace PatternTts.Router.Tests;

/// <summary>
/// Two routers sharing their rollout through a real redis-server: one state for the fleet, whichever replica an
/// operator or the SLO changes it on, and traffic that survives the store going away.
/// </summary>
public sealed class FleetTests : IAsyncLifetime
{
    private static readonly TimeSpan WithinTwoSeconds = TimeSpan.FromSeconds(2);

    private readonly FleetFixture _fleet = new();

    public Task InitializeAsync() => _fleet.InitializeAsync();

    public Task DisposeAsync() => _fleet.DisposeAsync();

    [Fact]
    public async Task APercentageSetOnOneReplicaIsSeenByTheOtherWithinTwoSeconds()
    {
        // Arrange
        var before = await _fleet.Second.GetRolloutAsync();

        // Act
        var set = await PutPercentageAsync(_fleet.First, 40);
        var seen = await Eventually.WaitAsync(() => _fleet.Second.GetRolloutAsync(), s => s.Percentage == 40, "the second replica to see 40%", WithinTwoSeconds);

        // Assert
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal("redis", seen.Store.Kind);
        Assert.Equal("healthy", seen.Store.Status);
        Assert.Equal(before.Store.Version + 1, seen.Store.Version);
        Assert.Equal("router-a", seen.Store.ChangedBy);
        Assert.Equal("router-b", seen.Store.Replica);
    }

    [Fact]
    public async Task TheSameUserGetsTheSameArmFromEveryReplica()
    {
        // Arrange
        await PutPercentageAsync(_fleet.First, 50);
        await Eventually.WaitAsync(() => _fleet.Second.GetRolloutAsync(), s => s.Percentage == 50, "the split to reach both", WithinTwoSeconds);

        // Act
        var arms = new List<(string? First, string? Second)>();
        for (var i = 0; i < 40; i++)
        {
            using var first = await _fleet.First.Client.SendAsync(_fleet.First.Speech($"fleet-user-{i}"));
            using var second = await _fleet.Second.Client.SendAsync(_fleet.Second.Speech($"fleet-user-{i}"));
            arms.Add((first.Arm(), second.Arm()));
        }

        // Assert
        Assert.All(arms, a => Assert.Equal(a.First, a.Second));
        Assert.Contains(arms, a => a.First == "new");
        Assert.Contains(arms, a => a.First == "legacy");
    }

    [Fact]
    public async Task ARollbackTrippedOnOneReplicaStopsNewArmTrafficOnBoth()
    {
        // Arrange
        await PutPercentageAsync(_fleet.First, 100);
        await Eventually.WaitAsync(() => _fleet.Second.GetRolloutAsync(), s => s.Percentage == 100, "100% to reach both", WithinTwoSeconds);
        _fleet.New.Mode = ArmMode.ServiceUnavailable;

        // Act: the first replica's SLO window trips; the second never saw a failure of its own.
        for (var i = 0; i < 60 && _fleet.First.Store.Current.Status == RolloutStatus.Active; i++)
        {
            using var response = await _fleet.First.Client.SendAsync(_fleet.First.Speech($"tripping-user-{i}"));
        }

        var second = await Eventually.WaitAsync(() => _fleet.Second.GetRolloutAsync(), s => s.State == RolloutStatus.RolledBack,
            "the rollback to reach the second replica", WithinTwoSeconds);
        var newRequests = _fleet.New.Requests.Count;
        var arms = new List<string?>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await _fleet.Second.Client.SendAsync(_fleet.Second.Speech($"after-user-{i}"));
            arms.Add(response.Arm());
        }

        // Assert
        Assert.Equal("slo", second.Source);
        Assert.Equal("router-a", second.Store.ChangedBy);
        Assert.All(arms, a => Assert.Equal("legacy", a));
        Assert.Equal(newRequests, _fleet.New.Requests.Count);
    }

    [Fact]
    public async Task FailuresSpreadOverBothReplicasAreJudgedTogetherAndRollTheFleetBack()
    {
        // Arrange: 12 failing new-arm requests on each replica; 20 are needed to judge, so neither alone would.
        await PutPercentageAsync(_fleet.First, 100);
        await Eventually.WaitAsync(() => _fleet.Second.GetRolloutAsync(), s => s.Percentage == 100, "100% to reach both", WithinTwoSeconds);
        _fleet.New.Mode = ArmMode.InternalError;

        // Act
        for (var i = 0; i < 12; i++)
        {
            foreach (var replica in _fleet.Replicas)
            {
                using var response = await replica.Client.SendAsync(replica.Speech($"spread-user-{i}"));
            }
        }

        var first = await Eventually.WaitAsync(() => _fleet.First.GetRolloutAsync(), s => s.State == RolloutStatus.RolledBack,
            "the fleet's window to roll back", TimeSpan.FromSeconds(5));
        var second = await Eventually.WaitAsync(() => _fleet.Second.GetRolloutAsync(), s => s.State == RolloutStatus.RolledBack,
            "the rollback to reach both", WithinTwoSeconds);

        // Assert
        Assert.Equal("slo", first.Source);
        Assert.Contains("over 2", first.Reason);
        Assert.Equal(first.Store.Version, second.Store.Version);
    }

    [Fact]
    public async Task WithRedisStoppedTrafficFlowsAdminWritesAnswer503AndOnRestartTheReplicasConverge()
    {
        // Arrange
        await PutPercentageAsync(_fleet.First, 30);
        await Eventually.WaitAsync(() => _fleet.Second.GetRolloutAsync(), s => s.Percentage == 30, "30% to reach both", WithinTwoSeconds);

        // Act 1: the store goes away mid-traffic.
        await _fleet.Redis.StopAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 50; i++)
        {
            var replica = _fleet.Replicas[i % 2];
            using var response = await replica.Client.SendAsync(replica.Speech($"outage-user-{i}"));
            statuses.Add(response.StatusCode);
        }

        using var refused = await PutPercentageAsync(_fleet.First, 80);
        var error = await refused.Content.ReadFromJsonAsync<OpenAiErrorResponse>(HttpExtensions.JsonOptions);
        var degraded = await Eventually.WaitAsync(() => _fleet.Second.GetRolloutAsync(), s => s.Store.Status == "degraded",
            "the second replica to report the store degraded");
        using var health = await _fleet.Second.Client.GetAsync("/health");
        var healthBody = await health.Content.ReadFromJsonAsync<RouterHealthResponse>(HttpExtensions.JsonOptions);

        // Act 2: it comes back empty (no persistence); the replicas seed it again and take changes again.
        await _fleet.Redis.StartAgainAsync();
        await Eventually.WaitAsync(() => _fleet.First.GetRolloutAsync(), s => s.Store.Status == "healthy", "the store to answer the first replica");
        var set = await Eventually.WaitAsync(() => PutPercentageAsync(_fleet.Second, 60), r => r.StatusCode == HttpStatusCode.OK, "a write on the second replica");
        var converged = await Eventually.WaitAsync(() => _fleet.First.GetRolloutAsync(), s => s.Percentage == 60, "the first replica to see 60%", WithinTwoSeconds);

        // Assert
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("rollout_store_unavailable", error!.Error.Code);
        Assert.Equal(30, degraded.Percentage);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("degraded", healthBody!.Status);
        Assert.Equal("degraded", healthBody.Store.Status);
        Assert.Equal((await _fleet.Second.GetRolloutAsync()).Store.Version, converged.Store.Version);
    }

    [Fact]
    public async Task ConcurrentChangesOnBothReplicasAreAllCommittedAndBothEndOnTheLast()
    {
        // Arrange
        var before = (await _fleet.First.GetRolloutAsync()).Store.Version;

        // Act
        var writes = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => PutPercentageAsync(_fleet.Replicas[i % 2], i)));
        var first = await Eventually.WaitAsync(() => _fleet.First.GetRolloutAsync(), s => s.Store.Version == before + 20, "every write committed on the first");
        var second = await Eventually.WaitAsync(() => _fleet.Second.GetRolloutAsync(), s => s.Store.Version == before + 20, "every write seen on the second", WithinTwoSeconds);

        // Assert
        Assert.All(writes, w => Assert.Equal(HttpStatusCode.OK, w.StatusCode));
        Assert.Equal(first.Percentage, second.Percentage);
        Assert.Equal(first.ChangedAt, second.ChangedAt);
    }

    private static Task<HttpResponseMessage> PutPercentageAsync(RouterFixture replica, int percentage) =>
        replica.Client.SendAsync(replica.Admin(HttpMethod.Put, "/admin/rollout", new { percentage }));
}
