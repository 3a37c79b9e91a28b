using System.Net.Sockets;
using System.Text;

namespace PatternTts.Service.Tests.Web;

/// <summary>Requests no HTTP client library would send, written to the socket by hand against the real Kestrel.</summary>
public sealed class RawHttpTests : IDisposable
{
    private readonly KestrelService _service = new();

    [Fact]
    public async Task AChunkSizeThatOverflowsIsAClientErrorNotAServerError()
    {
        // Arrange
        const string request =
            "POST /v1/audio/speech HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "FFFFFFFFFFFFFFFFFFFFFFFF\r\n{\"model\":\"tts-1\"}\r\n0\r\n\r\n";

        // Act
        var status = await SendAsync(request);

        // Assert
        Assert.InRange(status, 400, 499);
    }

    [Theory]
    [InlineData("/v1/%2e%2e/metrics")]
    [InlineData("/v1/%2E%2E/metrics")]
    [InlineData("/v1/audio%2f..%2f..%2fmetrics")]
    public async Task APathThatSpellsDotSegmentsInPercentEncodingIsRefused(string target)
    {
        var status = await SendAsync($"GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n");

        Assert.Equal(400, status);
    }

    [Fact]
    public async Task MetricsStillAnswerOnTheirOwnPath()
    {
        var status = await SendAsync("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n");

        Assert.Equal(200, status);
    }

    public void Dispose() => _service.Dispose();

    /// <summary>The status code of the answer, or 0 when the server closed without one.</summary>
    private async Task<int> SendAsync(string request)
    {
        var address = new Uri(_service.BaseUrl);
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer, timeout.Token);
        var answer = Encoding.ASCII.GetString(buffer, 0, read);
        return answer.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) ? int.Parse(answer.AsSpan(9, 3)) : 0;
    }
}
