using System.Net;

namespace PatternTts.Service.Tests.Api;

/// <summary><c>lang_code</c> decides the pronunciation instead of the voice's first letter.</summary>
public sealed class LanguageOverrideTests
{
    [Theory]
    [InlineData(null, 'a')]
    [InlineData("b", 'b')]
    [InlineData("en-gb", 'b')]
    public async Task LangCodeOverridesTheLanguageOfTheVoice(string? langCode, char expected)
    {
        // Arrange
        using var factory = new ServiceFactory().WithStandIn();
        var model = factory.UseRecordingModel();
        var phonemes = await new EspeakPhonemizer(new EspeakLibrary()).PhonemizeAsync("tomato", KokoroLanguage.All[expected], CancellationToken.None);

        // Act: af_heart is an American voice.
        var response = await ServiceClient.PostSpeechAsync(factory.CreateClient(),
            new { model = "kokoro", input = "tomato", voice = "af_heart", lang_code = langCode, response_format = "pcm", stream = false });

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(KokoroVocabulary.Default.Encode(phonemes), Assert.Single(model.Calls).TokenIds);
    }
}
