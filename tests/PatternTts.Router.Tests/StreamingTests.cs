using System.Text;

namespace PatternTts.Router.Tests;

public sealed class StreamingTests(RouterFixture fixture) : IClassFixture<RouterFixture>
{
    [Theory]
    [InlineData("legacy")]
    [InlineData("new")]
    public async Task FirstStreamedBytesArriveBeforeTheArmFinishes(string armName)
    {
        // Arrange
        fixture.Reset(armName == "new" ? 100 : 0);
        var arm = armName == "new" ? fixture.New : fixture.Legacy;
        using var request = fixture.Speech("stream-user", body: "stream");
        request.Content = new StringContent("{\"input\":\"hi\"," + FakeArm.StreamMarker + "}", Encoding.UTF8, "application/json");

        // Act
        using var response = await fixture.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        // The arm holds the rest of its answer until the gate opens, so if the router buffered, this read would
        // never complete; the timeout only turns that hang into a failure.
        var first = await ReadAtLeastAsync(body, $"served-by:{armName};{FakeArm.FirstChunk}".Length).WaitAsync(TimeSpan.FromSeconds(15));
        var finishedBeforeRelease = arm.StreamFinished;
        arm.StreamGate.TrySetResult();
        // After the headers, HttpClient.Timeout no longer applies, so this read needs its own bound as well.
        var rest = await new StreamReader(body).ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(armName, response.Arm());
        Assert.Equal($"served-by:{armName};{FakeArm.FirstChunk}", first);
        Assert.False(finishedBeforeRelease);
        Assert.Equal(FakeArm.LastChunk, rest);
    }

    private static async Task<string> ReadAtLeastAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer);
        return Encoding.UTF8.GetString(buffer);
    }
}
