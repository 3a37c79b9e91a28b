using System.Diagnostics;
using System.Text;

namespace PatternTts.Router.Tests;

public sealed class BodyAndTracingTests(RouterFixture fixture) : IClassFixture<RouterFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        fixture.Reload(("Rollout:MaxReplayBodyBytes", "1048576"), ("Rollout:HealthCacheSeconds", "0"));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task TraceContextPropagatesToTheArm()
    {
        // Arrange
        fixture.Reset(0);
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        // The client's own HTTP activity writes traceparent, so the trace is started around it rather than by hand.
        using var activity = new Activity("router-test")
            .SetParentId(ActivityTraceId.CreateFromString(traceId), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded)
            .Start();
        using var request = fixture.Speech("trace-user");

        // Act
        using var response = await fixture.Client.SendAsync(request);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var traceParent = Assert.Single(fixture.Legacy.Requests).TraceParent;
        Assert.NotNull(traceParent);
        Assert.Equal(traceId, traceParent.Split('-')[1]);
    }

    [Fact]
    public async Task HeadersOnlyTheRouterMaySetAndHopByHopHeadersNeverReachTheArm()
    {
        // Arrange
        fixture.Reset(0);
        using var request = fixture.Speech("header-user");
        request.Headers.Add(Arms.ShadowHeaderName, "1");
        request.Headers.Add("X-Real-IP", "203.0.113.9");
        request.Headers.Connection.Add("X-Hop-Secret");
        request.Headers.Add("X-Hop-Secret", "between the client and the router only");
        request.Headers.Add("X-Kept", "end to end");

        // Act
        using var response = await fixture.Client.SendAsync(request);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(fixture.Legacy.Requests);
        Assert.False(received.Shadow);
        Assert.False(received.Headers.ContainsKey("X-Real-IP"));
        Assert.False(received.Headers.ContainsKey("X-Hop-Secret"));
        Assert.Equal("end to end", received.Headers["X-Kept"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BodyOverTheReplayLimitIsStreamedThroughWholeWithoutFailoverAnnouncedOrChunked(bool chunked)
    {
        // Arrange
        fixture.Reset(100);
        fixture.Reload(("Rollout:MaxReplayBodyBytes", "100"));
        fixture.New.Mode = ArmMode.ServiceUnavailable;
        var body = $$"""{"input":"{{new string('a', 1000)}}"}""";
        using var request = fixture.Speech(chunked ? "chunked-user" : "big-user");
        request.Content = chunked
            ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)))
            : new StringContent(body, Encoding.UTF8, "application/json");
        request.Headers.TransferEncodingChunked = chunked;

        // Act
        using var response = await fixture.Client.SendAsync(request);

        // Assert: with nothing to replay, the arm's own 503 is the answer.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(body, Assert.Single(fixture.New.Requests).Body);
        Assert.Empty(fixture.Legacy.Requests);
    }

    [Fact]
    public async Task ArmHealthIsCachedBetweenCalls()
    {
        // Arrange
        fixture.Reset(10);
        fixture.Reload(("Rollout:HealthCacheSeconds", "300"));
        using var first = await fixture.Client.GetAsync("/health");
        var probes = fixture.New.HealthProbes;

        // Act
        for (var i = 0; i < 5; i++)
        {
            using var again = await fixture.Client.GetAsync("/health");
        }

        // Assert
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(probes, fixture.New.HealthProbes);
    }
}
