using System.Net.WebSockets;
using System.Text;

namespace PatternTts.Router.Tests;

/// <summary>The speech socket through the router: new arm only, the arm fixed for the connection, counted per arm, outside the SLO.</summary>
/// <remarks>
/// Alone in its collection: OpenTelemetry listens to meters by name across the process, so with other routers
/// starting and stopping in this test process a stopped router's instruments take this one's series off its /metrics.
/// One router per process, as deployed, has no such neighbours.
/// </remarks>
[Collection(nameof(SocketRoutingTests))]
public sealed class SocketRoutingTests(RouterFixture fixture) : IClassFixture<RouterFixture>
{
    [Fact]
    public async Task SocketReachesTheNewArmEvenWithEveryUserOnLegacyAndEveryMessageOfTheConnectionStaysThere()
    {
        fixture.Reset(0);
        var before = await fixture.GetRolloutAsync();
        var metricsBefore = await SocketMetricsAsync();
        using var socket = await ConnectAsync();

        var replies = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            replies.Add(await RoundTripAsync(socket, $"message {i}"));
        }

        // The exporter caches a scrape for a moment, so the figures are awaited, not read once.
        await Eventually.WaitAsync(SocketMetricsAsync,
            m => OpenSockets(m) == OpenSockets(metricsBefore) + 1, "the open socket in the router's metrics");
        await CloseAsync(socket, metricsBefore);

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"served-by:new;message {i}"), replies);
        Assert.Equal(1, fixture.New.Sockets);
        Assert.Equal(0, fixture.Legacy.Sockets);

        // Neither the socket nor the legacy's lack of one counts for the SLO.
        var after = await fixture.GetRolloutAsync();
        Assert.Equal(before.Arms.New.Samples, after.Arms.New.Samples);
        Assert.Equal(before.Arms.Legacy.Samples, after.Arms.Legacy.Samples);
    }

    [Fact]
    public async Task PlainSpeechRequestsStillFollowTheSplit()
    {
        fixture.Reset(0);
        var metricsBefore = await SocketMetricsAsync();
        using var socket = await ConnectAsync();

        using var response = await fixture.Client.SendAsync(fixture.Speech("socket-neighbour"));
        await CloseAsync(socket, metricsBefore);

        Assert.Equal("legacy", response.Arm());
    }

    /// <summary>Closes the socket and waits until the router has counted it closed, so the next test starts from a quiet router.</summary>
    private async Task CloseAsync(ClientWebSocket socket, string metricsBefore)
    {
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        // The proxy ends the tunnel once the client's connection is gone too.
        socket.Dispose();
        await Eventually.WaitAsync(SocketMetricsAsync,
            m => OpenSockets(m) == OpenSockets(metricsBefore) && ClosedSockets(m) == ClosedSockets(metricsBefore) + 1,
            "the closed socket in the router's metrics (open back to its count before, one more socket served with 101)");
    }

    /// <summary>The router's socket series, one per line.</summary>
    private async Task<string> SocketMetricsAsync() =>
        string.Join('\n', (await fixture.Client.GetStringAsync("/metrics")).Split('\n').Where(line => line.StartsWith("pattern_router_sockets", StringComparison.Ordinal)));

    private static double OpenSockets(string metrics) => Sample(metrics, "pattern_router_sockets_open", "arm=\"new\"");

    private static double ClosedSockets(string metrics) => Sample(metrics, "pattern_router_sockets_total", "arm=\"new\",status_class=\"1xx\"");

    /// <summary>The value of the series of <paramref name="name"/> whose labels hold <paramref name="labels"/>; 0 before it exists.</summary>
    private static double Sample(string metrics, string name, string labels) =>
        metrics.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) && line.Contains(labels, StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

    private async Task<ClientWebSocket> ConnectAsync()
    {
        var socket = new ClientWebSocket();
        var uri = new UriBuilder(fixture.Client.BaseAddress!) { Scheme = "ws", Path = "/v1/audio/speech/stream" }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);
        return socket;
    }

    private static async Task<string> RoundTripAsync(ClientWebSocket socket, string text)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[4096];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }
}

[CollectionDefinition(nameof(SocketRoutingTests), DisableParallelization = true)]
public sealed class SocketRoutingCollection;
