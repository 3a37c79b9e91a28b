using System.Net;

namespace PatternTts.Service.Tests.Api;

/// <summary><c>POST /dev/phonemize</c> shows what a text becomes before the model sees it.</summary>
public sealed class PhonemizeTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    [Theory]
    [InlineData("It costs $5.3 thousand.", "It costs five point three thousand dollars.")]
    [InlineData("Meet me at 10:35 pm.", "Meet me at ten thirty-five PM.")]
    [InlineData("The alarm rang at 5:03 am.", "The alarm rang at five oh three AM.")]
    [InlineData("Write to user@example.com today.", "Write to user at example dot com today.")]
    [InlineData("Prices rose 45% in 1999.", "Prices rose forty-five percent in nineteen ninety-nine.")]
    [InlineData("We raised $50.3 from -$6.9 million.", "We raised fifty dollars and thirty cents from minus six point nine million dollars.")]
    [InlineData("She came 21st of 7,890,000.", "She came twenty-first of seven million eight hundred ninety thousand.")]
    [InlineData("Dr. Smith arrived at 3:00.", "Doctor Smith arrived at three o'clock.")]
    [InlineData("Go to example.com/path for 1-2 days.", "Go to example dot com slash path for one to two days.")]
    [InlineData("Call (555) 123-4567 at 13:42.", "Call five five five, one two three, four five six seven at thirteen forty-two.")]
    [InlineData("R&D costs 1.6k, about 98.6% of £12.50.", "R and D costs one point six thousand, about ninety-eight point six percent of twelve pounds and fifty pence.")]
    [InlineData("Youre late, howre you?", "You're late, how're you?")]
    public async Task WrittenFormsComeBackAsTheWordsAPersonWouldSay(string text, string expected)
    {
        // Act
        var response = await ServiceClient.PostAsync(factory.CreateClient(), "/dev/phonemize", new { text, language = "a" });

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ServiceClient.ReadJsonAsync(response);
        Assert.Equal(expected, body.GetProperty("normalized_text").GetString());
        var phonemes = body.GetProperty("phonemes").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(phonemes));
        Assert.Equal(KokoroVocabulary.Default.Encode(phonemes), body.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt64()));
    }

    [Fact]
    public async Task PlainSentenceGivesTheKokoroPhonemesAndTheirTokenIdsWithoutPads()
    {
        var response = await ServiceClient.PostAsync(factory.CreateClient(), "/dev/phonemize", new { text = "Hello world." });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ServiceClient.ReadJsonAsync(response);
        Assert.Equal("həlˈO wˈɜɹld.", body.GetProperty("phonemes").GetString());
        var tokens = body.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt64()).ToArray();
        Assert.Equal(KokoroVocabulary.Default.Encode("həlˈO wˈɜɹld."), tokens);
        Assert.DoesNotContain(0L, tokens);
    }

    [Fact]
    public async Task LexiconWordsAndInlineOverridesUseTheirGivenPhonemes()
    {
        var response = await ServiceClient.PostAsync(factory.CreateClient(), "/dev/phonemize", new { text = "Kokoro says [tomato](/təmˈAtO/)." });

        var body = await ServiceClient.ReadJsonAsync(response);
        var phonemes = body.GetProperty("phonemes").GetString()!;
        Assert.StartsWith("kˈOkəɹO ", phonemes);
        Assert.Contains("təmˈAtO", phonemes);
        Assert.Equal("Kokoro says tomato.", body.GetProperty("normalized_text").GetString());
    }

    [Fact]
    public async Task BritishTagPhonemizesWithTheBritishVoice()
    {
        var client = factory.CreateClient();

        var us = await ServiceClient.ReadJsonAsync(await ServiceClient.PostAsync(client, "/dev/phonemize", new { text = "tomato", language = "en-us" }));
        var gb = await ServiceClient.ReadJsonAsync(await ServiceClient.PostAsync(client, "/dev/phonemize", new { text = "tomato", language = "b" }));

        Assert.NotEqual(us.GetProperty("phonemes").GetString(), gb.GetProperty("phonemes").GetString());
    }

    [Theory]
    [InlineData("j", "unsupported_language")]
    [InlineData("z", "unsupported_language")]
    [InlineData("klingon", "invalid_language")]
    public async Task LanguagesEspeakCannotServeAreRefusedWithBadRequest(string language, string code)
    {
        var response = await ServiceClient.PostAsync(factory.CreateClient(), "/dev/phonemize", new { text = "hello", language });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ServiceClient.ReadErrorAsync(response);
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal("language", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task EmptyTextIsABadRequest()
    {
        var response = await ServiceClient.PostAsync(factory.CreateClient(), "/dev/phonemize", new { text = " " });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("empty_input", (await ServiceClient.ReadErrorAsync(response)).GetProperty("code").GetString());
    }
}
