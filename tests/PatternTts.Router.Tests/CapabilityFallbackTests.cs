using System.Net.Http.Json;
using System.Text.Json;

namespace PatternTts.Router.Tests;

/// <summary>
/// What the new service cannot serve yet (Japanese voices today) goes to legacy during phases 1 and 2, before any
/// byte reaches the client, so those users are not broken by the split; in phase 3 they get the new arm's error.
/// </summary>
public sealed class CapabilityFallbackTests(RouterFixture fixture) : IClassFixture<RouterFixture>
{
    private static HttpRequestMessage Japanese(RouterFixture fixture, string user)
    {
        var request = fixture.Speech(user);
        request.Content = JsonContent.Create(new { model = "tts-1", input = "konnichiwa", voice = "jf_alpha" });
        return request;
    }

    [Fact]
    public async Task AJapaneseVoiceInPhaseTwoGetsLegacyAudioAndIsCountedByItsCode()
    {
        // Arrange
        fixture.Reset(100);
        fixture.New.Refuse = FakeArm.RefuseJapanese;
        var before = (await fixture.GetRolloutAsync()).CapabilityFallbacks.GetValueOrDefault("unsupported_language");

        // Act
        using var response = await fixture.Client.SendAsync(Japanese(fixture, "japanese-user"));
        var body = await response.Content.ReadAsStringAsync();
        var state = await fixture.GetRolloutAsync();

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("legacy", response.Arm());
        Assert.StartsWith("served-by:legacy;", body);
        Assert.Equal(before + 1, state.CapabilityFallbacks["unsupported_language"]);
        Assert.Equal(0, state.Arms.New.Samples);
        Assert.Equal(RolloutStatus.Active, state.State);
    }

    [Fact]
    public async Task InPhaseThreeTheClientGetsTheNewArmsErrorUnchanged()
    {
        // Arrange
        fixture.Reset(100, phase: 3);
        fixture.New.Refuse = FakeArm.RefuseJapanese;

        // Act
        using var response = await fixture.Client.SendAsync(Japanese(fixture, "japanese-user"));
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("new", response.Arm());
        Assert.Equal("unsupported_language", error.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task AClientErrorWithAnotherCodeReachesTheClientByteForByteFromTheNewArm()
    {
        // Arrange
        const string Json = """{"error":{"message":"speed must be between 0.25 and 4; got 9.","type":"invalid_request_error","param":"speed","code":"invalid_speed"}}""";
        fixture.Reset(100);
        fixture.New.Refuse = _ => (400, Json);
        var legacyBefore = fixture.Legacy.Requests.Count;

        // Act
        using var response = await fixture.Client.SendAsync(fixture.Speech("speedy-user"));

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("new", response.Arm());
        Assert.Equal(Json, await response.Content.ReadAsStringAsync());
        Assert.Equal(legacyBefore, fixture.Legacy.Requests.Count);
    }
}
