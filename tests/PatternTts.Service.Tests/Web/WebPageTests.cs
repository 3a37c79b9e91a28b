using System.Net;
using System.Text.Json;

namespace PatternTts.Service.Tests.Web;

/// <summary>
/// <c>GET /web</c> over a real Kestrel port, driven by headless Chromium through <c>tests/web/web-test.mjs</c>.
/// Needs <c>/usr/bin/chromium</c>, Node.js and <c>npm ci</c> in tests/web (scripts/setup.sh); without them the
/// browser tests fail rather than skip, because CI installs them.
/// </summary>
public sealed class WebPageTests(KestrelService service) : IClassFixture<KestrelService>
{
    [Theory]
    [InlineData("/web")]
    [InlineData("/web/")]
    public async Task GettingWebReturnsOneSelfContainedHtmlPage(string path)
    {
        // Arrange
        using var client = service.CreateClient();

        // Act
        using var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("<title>Pattern TTS", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<script src", html);
    }

    [Fact]
    public async Task TypingIntoTypeAndHearPlaysTheFirstClauseWhileTheRestIsStillBeingTyped()
    {
        // Act: one key every 60 ms, so the 81 characters take about 5 s to type.
        var run = await WebPageBrowser.RunAsync(service.BaseUrl, "--live",
            "--text", "Hello there, this is spoken as I write. And this part comes later, after a pause.");

        // Assert
        var verdict = run.RequireVerdict();
        Assert.True(run.ExitCode == 0 && verdict.GetProperty("ok").GetBoolean(), run.ToString());
        var live = verdict.GetProperty("live");
        Assert.Equal(81, live.GetProperty("typed").GetInt32());
        Assert.InRange(live.GetProperty("firstAudioAt").GetInt32(), "Hello there,".Length, 80);
        Assert.True(live.GetProperty("frames").GetInt32() >= 2, run.ToString());
        Assert.InRange(live.GetProperty("seconds").GetDouble(), 3.0, 30.0);
        Assert.Equal("completed", live.GetProperty("done").GetString());
        Assert.Empty(verdict.GetProperty("consoleErrors").EnumerateArray());
    }

    [Fact]
    public async Task SpeakingInHeadlessChromiumGivesTheAudioElementAPlayableSource()
    {
        // Act
        var run = await WebPageBrowser.RunAsync(service.BaseUrl, "--format", "mp3");

        // Assert
        var verdict = run.RequireVerdict();
        Assert.True(run.ExitCode == 0 && verdict.GetProperty("ok").GetBoolean(), run.ToString());
        Assert.True(verdict.GetProperty("checks").GetProperty("voices").GetInt32() > 1, run.ToString());
        var audio = verdict.GetProperty("audio");
        Assert.Equal("blob:", audio.GetProperty("src").GetString());
        Assert.True(audio.GetProperty("readyState").GetInt32() >= 1, run.ToString());
        Assert.InRange(audio.GetProperty("duration").GetDouble(), 1.0, 60.0);
        Assert.Empty(verdict.GetProperty("consoleErrors").EnumerateArray());

        // Until /dev/captioned_speech exists the page plays without highlighting; once it does, words must show.
        var captions = verdict.GetProperty("captions").GetString();
        Assert.Contains(captions, new[] { "shown", "unavailable" });
        if (captions == "shown")
        {
            Assert.True(verdict.GetProperty("words").GetInt32() > 0, run.ToString());
            Assert.False(string.IsNullOrWhiteSpace(verdict.GetProperty("highlighted").GetString()), run.ToString());
        }
    }

    [Fact]
    public async Task CaptionedPcmOfAMixedVoicePlaysAndHighlightsTheWordAtThePlayhead()
    {
        // Act: captions come from the browser's stand-in for /dev/captioned_speech, audio from the real service.
        var run = await WebPageBrowser.RunAsync(service.BaseUrl, "--fake-captions", "--mix", "af_bella(2)+af_sky(1)", "--format", "pcm", "--text", "One two three four five six seven.");

        // Assert
        var verdict = run.RequireVerdict();
        Assert.True(run.ExitCode == 0 && verdict.GetProperty("ok").GetBoolean(), run.ToString());
        Assert.Equal("shown", verdict.GetProperty("captions").GetString());
        Assert.Equal(7, verdict.GetProperty("words").GetInt32());
        Assert.Equal("four", verdict.GetProperty("highlighted").GetString());
        Assert.True(verdict.GetProperty("audio").GetProperty("duration").GetDouble() > 1.0, run.ToString());
        Assert.Equal(JsonValueKind.Array, verdict.GetProperty("consoleErrors").ValueKind);
        Assert.Empty(verdict.GetProperty("consoleErrors").EnumerateArray());
    }
}
