using System.Net;

namespace PatternTts.Service.Tests.Api;

/// <summary><c>POST /dev/generate_from_phonemes</c> speaks phonemes as given, through the Kokoro model only.</summary>
public sealed class GenerateFromPhonemesTests
{
    [Fact]
    public async Task PhonemesReachTheModelAsExactlyTheirTokensWithTheVoiceRowAndSpeed()
    {
        // Arrange
        using var factory = new ServiceFactory().WithStandIn();
        var model = factory.UseRecordingModel();
        const string phonemes = "ðɪs ɪz ɐ tˈɛst.";
        var expected = KokoroVocabulary.Default.Encode(phonemes);

        // Act
        var response = await ServiceClient.PostAsync(factory.CreateClient(), "/dev/generate_from_phonemes",
            new { phonemes, voice = "am_michael", speed = 2.0, response_format = "wav" });

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/wav", response.Content.Headers.ContentType?.MediaType);
        var call = Assert.Single(model.Calls);
        Assert.Equal(expected, call.TokenIds);
        Assert.Equal(StandInVoices.Row(1, expected.Count - 1), call.Style);
        Assert.Equal(2f, call.Speed);

        // Nothing of the stand-in's output is silent, so the file holds every sample the model made.
        var decoded = await FfmpegProbe.DecodeAsync(await response.Content.ReadAsByteArrayAsync(), "wav");
        var modelSamples = (expected.Count + 2) * StandInModelBuilder.UnitsFor(2f) * StandInModelBuilder.SamplesPerDurationUnit;
        Assert.True(decoded.Samples.Length >= modelSamples);
    }

    [Fact]
    public async Task PhonemesLongerThanOneCallAreCutAtSpacesUnderTheModelLimit()
    {
        // Arrange
        using var factory = new ServiceFactory().WithStandIn();
        var model = factory.UseRecordingModel();
        var phonemes = string.Join(' ', Enumerable.Repeat("ðə kwˈɪk bɹˈWn fˈɑks,", 60));
        var space = KokoroVocabulary.Default.Encode(" ")[0];

        // Act
        var response = await ServiceClient.PostAsync(factory.CreateClient(), "/dev/generate_from_phonemes", new { phonemes, voice = "af_heart" });

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var calls = model.Calls;
        Assert.True(calls.Count >= 3);
        Assert.All(calls, c => Assert.InRange(c.TokenIds.Length, 1, 510));
        Assert.All(calls, c => Assert.NotEqual(space, c.TokenIds[0]));
        Assert.Equal(
            KokoroVocabulary.Default.Encode(phonemes).Where(t => t != space),
            calls.SelectMany(c => c.TokenIds).Where(t => t != space));
    }

    [Fact]
    public async Task WithoutTheKokoroModelTheAnswerIsServiceUnavailableSayingWhy()
    {
        using var factory = new ServiceFactory();

        var response = await ServiceClient.PostAsync(factory.CreateClient(), "/dev/generate_from_phonemes", new { phonemes = "həlˈO", voice = "af_heart" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var error = await ServiceClient.ReadErrorAsync(response);
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Contains("Phoneme input needs the Kokoro model", error.GetProperty("message").GetString());
    }

    [Fact]
    public void SplittingPrefersSpacesThenPunctuationThenAHardCut()
    {
        Assert.Equal(["ab cd", "ef"], ChunkPlanner.SplitPhonemes("ab cd ef", 6));
        Assert.Equal(["abc,", "def"], ChunkPlanner.SplitPhonemes("abc,def", 5));
        Assert.Equal(["abcd", "ef"], ChunkPlanner.SplitPhonemes("abcdef", 4));
    }
}
