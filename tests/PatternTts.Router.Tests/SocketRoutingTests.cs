using System.Net.WebSockets;
using System.Text;

namespace PatternTts.Router.Tests;

/// <summary>The speech socket through the router: new arm only, the arm fixed for the connection, counted per arm, outside the SLO.</summary>
public sealed class SocketRoutingTests(RouterFixture fixture) : IClassFixture<RouterFixture>
{
    [Fact]
    public async Task SocketReachesTheNewArmEvenWithEveryUserOnLegacyAndEveryMessageOfTheConnectionStaysThere()
    {
        fixture.Reset(0);
        var before = await fixture.GetRolloutAsync();
        using var socket = await ConnectAsync();

        var replies = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            replies.Add(await RoundTripAsync(socket, $"message {i}"));
        }

        var metrics = await fixture.Client.GetStringAsync("/metrics");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"served-by:new;message {i}"), replies);
        Assert.Equal(1, fixture.New.Sockets);
        Assert.Equal(0, fixture.Legacy.Sockets);
        Assert.Matches("pattern_router_sockets_open\\{[^}]*arm=\"new\"\\} 1", metrics);
        await Eventually.WaitAsync(() => fixture.Client.GetStringAsync("/metrics"),
            m => System.Text.RegularExpressions.Regex.IsMatch(m, "pattern_router_sockets_open\\{[^}]*arm=\"new\"\\} 0")
                && System.Text.RegularExpressions.Regex.IsMatch(m, "pattern_router_sockets_total\\{[^}]*arm=\"new\",status_class=\"1xx\"\\} [1-9]"),
            "the closed socket in the router's metrics");

        // Neither the socket nor the legacy's lack of one counts for the SLO.
        var after = await fixture.GetRolloutAsync();
        Assert.Equal(before.Arms.New.Samples, after.Arms.New.Samples);
        Assert.Equal(before.Arms.Legacy.Samples, after.Arms.Legacy.Samples);
    }

    [Fact]
    public async Task PlainSpeechRequestsStillFollowTheSplit()
    {
        fixture.Reset(0);
        using var socket = await ConnectAsync();

        using var response = await fixture.Client.SendAsync(fixture.Speech("socket-neighbour"));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        Assert.Equal("legacy", response.Arm());
    }

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
