using System.Net;

namespace PatternTts.Service.Tests.Api;

/// <summary>No request can take the memory or the CPU: output is bounded by limits named in the 400 that refuses it.</summary>
public sealed class LimitTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    public static TheoryData<string, object, string> Oversized => new()
    {
        // 5 KB of pause tags once gave 5,000 s of audio.
        { "/v1/audio/speech", new { model = "tts-1", voice = "alloy", response_format = "wav", input = string.Concat(Enumerable.Repeat("[pause:10s]", 450)) }, "pause_too_long" },
        { "/dev/captioned_speech", new { model = "tts-1", voice = "alloy", response_format = "wav", stream = false, input = string.Concat(Enumerable.Repeat("[pause:10s]", 450)) }, "pause_too_long" },
        // A digit is a word: 4,999 of them at a quarter speed once took 2 GB and failed with a 500.
        { "/v1/audio/speech", new { model = "tts-1", voice = "alloy", response_format = "wav", stream = false, speed = 0.25, input = new string('9', 4999) }, "audio_too_long" },
        { "/dev/captioned_speech", new { model = "tts-1", voice = "alloy", response_format = "wav", stream = false, speed = 0.25, input = new string('9', 4999) }, "audio_too_long" },
        // Symbols read as words: "%" x 5,000 once gave 117 MB of PCM.
        { "/v1/audio/speech", new { model = "tts-1", voice = "alloy", response_format = "pcm", input = new string('%', 5000) }, "audio_too_long" },
    };

    [Theory]
    [MemberData(nameof(Oversized))]
    public async Task RequestsForMoreAudioThanTheLimitsAreRefusedBeforeSynthesis(string path, object body, string code)
    {
        // Act
        using var response = await ServiceClient.PostAsync(factory.CreateClient(), path, body);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ServiceClient.ReadErrorAsync(response);
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal("input", error.GetProperty("param").GetString());
        Assert.Contains("TTS_MAX_", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AWholeResponseLargerThanTheBufferLimitIsRefusedAndTheSameRequestStreams()
    {
        // Arrange: about 2 s of WAV is 96 KB, over a 64 KB limit.
        using var limited = new ServiceFactory().With("Tts:MaxBufferedResponseBytes", "65536");
        var client = limited.CreateClient();
        const string text = "This sentence takes a few seconds to say, which is more than the buffer may hold.";

        // Act
        using var whole = await ServiceClient.PostSpeechAsync(client, new { model = "tts-1", input = text, voice = "alloy", response_format = "wav", stream = false });
        using var streamed = await ServiceClient.PostSpeechAsync(client, new { model = "tts-1", input = text, voice = "alloy", response_format = "wav", stream = true });

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, whole.StatusCode);
        var error = await ServiceClient.ReadErrorAsync(whole);
        Assert.Equal("response_too_large", error.GetProperty("code").GetString());
        Assert.Equal("stream", error.GetProperty("param").GetString());
        Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
        Assert.True((await streamed.Content.ReadAsByteArrayAsync()).Length > 65536);
    }

    [Fact]
    public async Task SynthesisThatRunsPastTheAudioLimitIsStoppedEvenWhenTheEstimateLetItThrough()
    {
        // Arrange: the stand-in speaks 10 tokens a second, slower than the estimate's 12, so these 139 phonemes are
        // estimated at 11.6 s and last about 14 s, over a 12 s limit.
        using var limited = new ServiceFactory().WithStandIn().With("Tts:MaxAudioSeconds", "12");
        var model = limited.UseRecordingModel();
        var phonemes = string.Join(' ', Enumerable.Repeat("həlˈoʊ wɜːld.", 10));

        // Act
        using var response = await ServiceClient.PostAsync(limited.CreateClient(), "/dev/generate_from_phonemes", new { phonemes, voice = "af_heart" });

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("audio_too_long", (await ServiceClient.ReadErrorAsync(response)).GetProperty("code").GetString());
        Assert.NotEmpty(model.Calls);
    }
}
