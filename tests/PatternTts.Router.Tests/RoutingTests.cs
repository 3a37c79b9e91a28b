using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace PatternTts.Router.Tests;

public sealed class RoutingTests(RouterFixture fixture) : IClassFixture<RouterFixture>
{
    [Fact]
    public async Task HttpTrafficFollowsTheTargetingDecisionAndStaysSticky()
    {
        // Arrange
        fixture.Reset(25);
        const int users = 300;

        // Act
        var onNew = 0;
        var mismatches = new List<string>();
        for (var i = 0; i < users; i++)
        {
            var user = $"http-user-{i}";
            var expected = await ExpectedArmAsync(user);
            for (var attempt = 0; attempt < 2; attempt++)
            {
                using var response = await fixture.Client.SendAsync(fixture.Speech(user));
                var body = await response.Content.ReadAsStringAsync();
                var arm = response.Arm();
                if (response.StatusCode != HttpStatusCode.OK || arm != expected.ClusterId() || !body.StartsWith($"served-by:{arm};"))
                {
                    mismatches.Add($"{user} #{attempt}: {(int)response.StatusCode} header {arm}, expected {expected}, body {body}");
                }
            }

            onNew += expected == Arm.New ? 1 : 0;
        }

        // Assert
        Assert.Empty(mismatches);
        Assert.InRange(onNew, users * 15 / 100, users * 35 / 100);
    }

    [Fact]
    public async Task ForcedArmHeaderPicksTheArmThatServes()
    {
        // Arrange
        fixture.Reset(0);

        // Act
        using var forcedNew = await fixture.Client.SendAsync(fixture.Speech("forced-user", forcedArm: "new"));
        fixture.Reset(100);
        using var forcedLegacy = await fixture.Client.SendAsync(fixture.Speech("forced-user", forcedArm: "legacy"));

        // Assert
        Assert.Equal("new", forcedNew.Arm());
        Assert.StartsWith("served-by:new;", await forcedNew.Content.ReadAsStringAsync());
        Assert.Equal("legacy", forcedLegacy.Arm());
        Assert.StartsWith("served-by:legacy;", await forcedLegacy.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GatewayPathIsForwardedAsSpeechWithTheBodyIntact()
    {
        // Arrange
        fixture.Reset(0);
        var text = "Grüße – ünïcödé & \"quotes\"";

        // Act
        using var response = await fixture.Client.SendAsync(fixture.Speech("gateway-user", "/audio-proxy/tts?format=mp3", text));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(fixture.Legacy.Requests);
        Assert.Equal("/v1/audio/speech?format=mp3", received.PathAndQuery);
        using var json = JsonDocument.Parse(received.Body);
        Assert.Equal(text, json.RootElement.GetProperty("input").GetString());
        Assert.Equal("gateway-user", received.User);
    }

    [Theory]
    [InlineData("/v1/models")]
    [InlineData("/v1/audio/voices")]
    [InlineData("/dev/phonemize?x=1")]
    [InlineData("/web")]
    [InlineData("/web/index.html")]
    public async Task PassthroughPathsReachTheArmUnchanged(string path)
    {
        // Arrange
        fixture.Reset(0);

        // Act
        using var response = await fixture.Client.GetAsync(path);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("legacy", response.Arm());
        Assert.Equal(path, Assert.Single(fixture.Legacy.Requests).PathAndQuery);
    }

    [Fact]
    public async Task UnknownPathAnswersInOpenAiErrorShape()
    {
        // Act
        using var response = await fixture.Client.GetAsync("/nope");

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await ErrorShape.AssertAsync(response);
    }

    [Fact]
    public async Task BothArmsDownGivesBadGatewayInOpenAiErrorShape()
    {
        // Arrange
        fixture.Reset(50);
        fixture.Legacy.Mode = ArmMode.ServiceUnavailable;
        fixture.New.Mode = ArmMode.ServiceUnavailable;

        // Act
        using var response = await fixture.Client.SendAsync(fixture.Speech("unlucky-user"));

        // Assert: the second arm's own 503 passes through once failover is spent.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Arm());
        Assert.Single(fixture.Legacy.Requests);
        Assert.Single(fixture.New.Requests);
    }

    private async Task<Arm> ExpectedArmAsync(string user)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[Arms.UserHeaderName] = user;
        fixture.Services.GetRequiredService<IHttpContextAccessor>().HttpContext = context;
        return (await fixture.Services.GetRequiredService<ArmSelector>().SelectAsync(context, CancellationToken.None)).Arm;
    }

    [Theory]
    [InlineData(0, "/v1/download/pattern-tts-0123456789abcdef0123456789abcdef.mp3", "new")]
    [InlineData(100, "/v1/download/tts_1733140000_abcdef.mp3", "legacy")]
    [InlineData(50, "/v1/download/pattern-tts-0123456789abcdef0123456789abcdef.wav", "new")]
    public async Task ADownloadLinkGoesToTheArmThatMadeTheFileWhateverTheSplit(int percentage, string path, string arm)
    {
        // Arrange
        fixture.Reset(percentage);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(Arms.UserHeaderName, "download-user");

        // Act
        using var response = await fixture.Client.SendAsync(request);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(arm, response.Arm());
        Assert.StartsWith($"served-by:{arm};", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ADownloadIsNotRetriedOnTheArmThatNeverHadTheFileNorCountedAgainstTheOwner()
    {
        // Arrange
        fixture.Reset(100);
        fixture.New.Mode = ArmMode.ServiceUnavailable;
        var legacyBefore = fixture.Legacy.Requests.Count;

        // Act
        using var response = await fixture.Client.GetAsync("/v1/download/pattern-tts-0123456789abcdef0123456789abcdef.mp3");
        var windows = await fixture.GetRolloutAsync();

        // Assert
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(legacyBefore, fixture.Legacy.Requests.Count);
        Assert.Equal(0, windows.Arms.New.Samples);
    }
}

internal static class ErrorShape
{
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");
        foreach (var key in new[] { "message", "type", "param", "code" })
        {
            Assert.True(error.TryGetProperty(key, out _), $"error.{key} is missing");
        }

        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        return error.Clone();
    }
}
