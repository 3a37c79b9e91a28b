using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;

namespace PatternTts.Router.Tests;

public sealed class ProgressionFixture : RouterFixture
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Rollout:Progression:TickSeconds"] = "0.1";
        // Fake arms answer in about a millisecond; a slow arm here is 400 ms slower, so 200 ms separates the two
        // with room for the jitter of a busy machine.
        settings["Rollout:Progression:MinDifferenceMilliseconds"] = "200";
    }
}

/// <summary>
/// The migration deciding itself on evidence: a progression walks its steps while the gates hold and rolls back to
/// 0% on the gate that fails, on one router and on a fleet whose driving replica dies halfway.
/// </summary>
public sealed class ProgressionTests(ProgressionFixture fixture) : IClassFixture<ProgressionFixture>
{
    private static readonly object Steps = new { steps = new[] { 20, 60, 100 }, interval_seconds = 0.4, min_samples = 5 };

    [Fact]
    public async Task OnAHealthyArmTheProgressionWalksEveryStepToOneHundred()
    {
        // Arrange
        fixture.Reset(0);

        // Act
        var started = await PostAsync(fixture, "/admin/rollout/progression", Steps);
        var done = await WithTrafficAsync([fixture], () => Eventually.WaitAsync(() => fixture.GetRolloutAsync(),
            s => s.Progression?.Status is not ProgressionStatus.Running, "the progression to end", TimeSpan.FromSeconds(30)));

        // Assert
        Assert.Equal(20, started.Percentage);
        Assert.True(done.Progression!.Status == ProgressionStatus.Completed, $"{done.Progression.Status}: {done.Progression.LastDecision}");
        Assert.Equal(100, done.Percentage);
        Assert.Equal([20, 60, 100], done.Progression.Applied);
        Assert.Equal("complete", done.Progression.LastDecision!.Outcome);
        Assert.Equal(RolloutStatus.Active, done.State);
    }

    [Theory]
    [InlineData("failing", "success_rate")]
    [InlineData("slow", "latency_p95")]
    public async Task AFailingOrSlowArmIsRolledBackOnTheGateThatFailed(string arm, string gate)
    {
        // Arrange
        fixture.Reset(0);
        if (arm == "failing")
        {
            fixture.New.Mode = ArmMode.InternalError;
        }
        else
        {
            fixture.New.Delay = TimeSpan.FromMilliseconds(400);
        }

        // Act
        await PostAsync(fixture, "/admin/rollout/progression", Steps);
        var done = await WithTrafficAsync([fixture], () => Eventually.WaitAsync(() => fixture.GetRolloutAsync(),
            s => s.Progression?.Status is not ProgressionStatus.Running, "the progression to end", TimeSpan.FromSeconds(30)));

        // Assert
        Assert.Equal(ProgressionStatus.RolledBack, done.Progression!.Status);
        Assert.Equal(RolloutStatus.RolledBack, done.State);
        Assert.Equal(0, done.Percentage);
        Assert.Equal(gate, done.Progression.LastDecision!.Gate);
        Assert.Contains($"progression gate {gate}", done.Reason);
        Assert.Equal([20], done.Progression.Applied);
    }

    [Fact]
    public async Task PauseHoldsTheStepResumeGoesOnAndAbortLeavesTheSplit()
    {
        // Arrange
        fixture.Reset(0);
        await PostAsync(fixture, "/admin/rollout/progression", new { steps = new[] { 20, 60, 100 }, interval_seconds = 0.3, min_samples = 1 });

        // Act
        var paused = await PostAsync(fixture, "/admin/rollout/progression/pause", null);
        var stillPaused = await WithTrafficAsync([fixture], async () =>
        {
            await Task.Delay(1200);
            return await fixture.GetRolloutAsync();
        });
        await PostAsync(fixture, "/admin/rollout/progression/resume", null);
        var moved = await WithTrafficAsync([fixture], () => Eventually.WaitAsync(() => fixture.GetRolloutAsync(),
            s => s.Percentage > 20, "the progression to move on", TimeSpan.FromSeconds(20)));
        var aborted = await PostAsync(fixture, "/admin/rollout/progression/abort", null);

        // Assert
        Assert.Equal(ProgressionStatus.Paused, paused.Progression!.Status);
        Assert.Equal(20, stillPaused.Percentage);
        Assert.True(moved.Percentage is 60 or 100);
        Assert.Equal(ProgressionStatus.Aborted, aborted.Progression!.Status);
        Assert.Equal(moved.Percentage, aborted.Percentage);
    }

    [Theory]
    [InlineData("""{"steps":[50,20]}""", "steps")]
    [InlineData("""{"steps":[0,100]}""", "steps")]
    [InlineData("""{"interval_seconds":0}""", "interval_seconds")]
    [InlineData("""{"min_samples":0}""", "min_samples")]
    public async Task ABadProgressionIsRefusedNamingTheField(string body, string field)
    {
        fixture.Reset(0);
        using var request = fixture.Admin(HttpMethod.Post, "/admin/rollout/progression");
        request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        using var response = await fixture.Client.SendAsync(request);
        var error = await response.Content.ReadFromJsonAsync<OpenAiErrorResponse>(HttpExtensions.JsonOptions);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, error!.Error.Param);
    }

    internal static async Task<RolloutStatusResponse> PostAsync(RouterFixture replica, string path, object? body)
    {
        using var response = await replica.Client.SendAsync(replica.Admin(HttpMethod.Post, path, body ?? new { }));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RolloutStatusResponse>(HttpExtensions.JsonOptions))!;
    }

    /// <summary>Runs <paramref name="until"/> while users keep speaking through the replicas, as production traffic would.</summary>
    internal static async Task<T> WithTrafficAsync<T>(IReadOnlyList<RouterFixture> replicas, Func<Task<T>> until)
    {
        using var stop = new CancellationTokenSource();
        var traffic = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var replica = replicas[i % replicas.Count];
                try
                {
                    using var response = await replica.Client.SendAsync(replica.Speech($"progression-user-{i % 400}"), stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or HttpRequestException or ObjectDisposedException)
                {
                    // A replica being stopped, or the end of the test.
                }
            }
        });
        try
        {
            return await until();
        }
        finally
        {
            await stop.CancelAsync();
            await traffic;
        }
    }
}

/// <summary>The same progression on a fleet: one replica drives, and when it dies another takes over the lease.</summary>
public sealed class FleetProgressionTests : IAsyncLifetime
{
    private readonly FleetFixture _fleet = new();

    public Task InitializeAsync() => _fleet.InitializeAsync();

    public Task DisposeAsync() => _fleet.DisposeAsync();

    [Fact]
    public async Task WhenTheDrivingReplicaDiesTheOtherFinishesWithoutSkippingOrRepeatingAStep()
    {
        // Arrange
        await ProgressionTests.PostAsync(_fleet.First, "/admin/rollout/progression", new { steps = new[] { 20, 60, 100 }, interval_seconds = 0.6, min_samples = 3 });

        // Act: wait for the first decision, then stop whichever replica made it.
        var firstDecision = await ProgressionTests.WithTrafficAsync(_fleet.Replicas, () => Eventually.WaitAsync(() => _fleet.Second.GetRolloutAsync(),
            s => s.Progression?.Driver is not null, "a first decision", TimeSpan.FromSeconds(20)));
        var driver = firstDecision.Progression!.Driver!;
        var (dead, survivor) = driver == "router-a" ? (_fleet.First, _fleet.Second) : (_fleet.Second, _fleet.First);
        await dead.DisposeAsync();
        var done = await ProgressionTests.WithTrafficAsync([survivor], () => Eventually.WaitAsync(() => survivor.GetRolloutAsync(),
            s => s.Progression?.Status is not ProgressionStatus.Running, "the survivor to finish the progression", TimeSpan.FromSeconds(30)));

        // Assert
        Assert.True(done.Progression!.Status == ProgressionStatus.Completed, $"{done.Progression.Status}: {done.Progression.LastDecision}");
        Assert.Equal([20, 60, 100], done.Progression.Applied);
        Assert.Equal(survivor == _fleet.First ? "router-a" : "router-b", done.Progression.Driver);
        Assert.NotEqual(driver, done.Progression.Driver);
    }
}

public sealed class ProgressionOptionsTests
{
    [Theory]
    [InlineData(new[] { 20, 60 }, new[] { 20, 60 })]
    [InlineData(new int[0], new[] { 10, 25, 50, 100 })]
    public void ConfiguredStepsReplaceTheDefaultStepsInsteadOfJoiningThem(int[] configured, int[] effective)
    {
        var settings = configured.Select((step, i) => new KeyValuePair<string, string?>($"Rollout:Progression:Steps:{i}", step.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var options = new RolloutOptions();
        ConfigurationBinder.Bind(configuration.GetSection(RolloutOptions.SectionName), options);

        Assert.Equal(effective, options.Progression.EffectiveSteps);
    }
}
