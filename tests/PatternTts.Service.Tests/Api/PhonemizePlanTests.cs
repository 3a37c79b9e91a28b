using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PatternTts.Service.Tests.Api;

/// <summary>
/// <c>/dev/phonemize</c> shows the model calls a Kokoro synthesis makes; these pin where they are cut and what
/// reaches the model around lexicon words and abbreviations.
/// </summary>
public sealed class PhonemizePlanTests
{
    private const string Forecast =
        "Tomorrow will be cloudy, with a chance of rain in the afternoon. Highs near seventy, with light winds from " +
        "the south; lows around fifty. Expect fog on the coast by evening, and drizzle overnight.";

    [Theory]
    [InlineData(Forecast)]
    [InlineData("Good morning, everyone. Today we will talk about the weather, the tides and the stars above us.")]
    [InlineData("If you can hear me, say something; otherwise I will call again later this afternoon.")]
    public async Task AStreamedRequestsFirstModelCallEndsAtAClauseMark(string text)
    {
        using var factory = new ServiceFactory();

        var plan = await PhonemizeAsync(factory, new { text });

        var first = plan.Chunks[0];
        Assert.Contains(first.Phonemes[^1], ",;:—.!?");
        Assert.Equal(first.Tokens, KokoroVocabulary.Default.Encode(first.Phonemes));
        Assert.True(plan.Chunks.Count > 1);
    }

    [Fact]
    public async Task TheFirstCallTakesFollowingClausesWhileTheyFitTheFirstChunkLimit()
    {
        using var factory = new ServiceFactory().With("Tts:FirstChunkMaxTokens", "40");

        var plan = await PhonemizeAsync(factory, new { text = "Yes, sure, fine. Then we walk to the old harbour and look at the boats for a while." });

        Assert.Equal("jˈɛs, ʃˈʊɹ, fˈIn.", plan.Chunks[0].Phonemes);
    }

    [Fact]
    public async Task ARequestThatIsNotStreamedPacksWholeSentencesFromTheStart()
    {
        using var factory = new ServiceFactory();

        var plan = await PhonemizeAsync(factory, new { text = Forecast, stream = false });

        var chunk = Assert.Single(plan.Chunks);
        Assert.EndsWith("ˌOvəɹnˈIt.", chunk.Phonemes);
        Assert.Equal(plan.Phonemes, chunk.Phonemes);
    }

    [Fact]
    public async Task LongerRequestsThatAreNotStreamedEndEveryCallAtASentence()
    {
        using var factory = new ServiceFactory().With("Tts:ChunkMaxTokens", "90");

        var plan = await PhonemizeAsync(factory, new { text = Forecast, stream = false });

        Assert.True(plan.Chunks.Count > 1);
        Assert.All(plan.Chunks, c => Assert.Contains(c.Phonemes[^1], ".!?"));
    }

    [Fact]
    public async Task AClauseLongerThanTheLimitIsCutBeforeAConjunctionNotMidPhrase()
    {
        using var factory = new ServiceFactory().With("Tts:ChunkMaxTokens", "60").With("Tts:FirstChunkMaxTokens", "20");

        var plan = await PhonemizeAsync(factory, new
        {
            text = "The little red train rolled slowly past the quiet farms and the sleepy villages of the valley toward the distant sea",
        });

        Assert.True(plan.Chunks.Count > 1);
        Assert.All(plan.Chunks, c => Assert.True(c.Tokens.Length <= 60, $"{c.Tokens.Length} tokens"));
        Assert.StartsWith("ænd", plan.Chunks[1].Phonemes);
    }

    [Fact]
    public async Task ALexiconWordBeforePunctuationHasNoSpaceToken()
    {
        using var factory = new ServiceFactory();

        var plan = await PhonemizeAsync(factory, new { text = "Kokoro." });

        Assert.Equal("kˈOkəɹO.", plan.Phonemes);
        Assert.Equal(KokoroVocabulary.Default.Encode("kˈOkəɹO."), plan.Chunks.Single().Tokens);
    }

    [Fact]
    public async Task BritishVoicesReadLexiconWordsThroughEnglishEspeakNotTheAmericanLexicon()
    {
        using var factory = new ServiceFactory();

        var plan = await PhonemizeAsync(factory, new { text = "Kokoro runs on Linux.", language = "b" });

        Assert.DoesNotContain("O", plan.Phonemes);
        Assert.All(plan.Phonemes.Where(char.IsLetter), c => Assert.Contains(c, PhonemePostProcessor.BritishSymbols));
    }

    [Theory]
    [InlineData("The U.S. government met the E.U. today.", "The US government met the EU today.")]
    [InlineData("I live in the U.S. Next year I move.", "I live in the US. Next year I move.")]
    [InlineData("She works in Washington, D.C.", "She works in Washington, DC.")]
    [InlineData("He moved to N.Y.C. in May.", "He moved to N Y C in May.")]
    public async Task DottedLetterAbbreviationsAreReadAsLettersWithoutStops(string text, string normalized)
    {
        using var factory = new ServiceFactory();

        var plan = await PhonemizeAsync(factory, new { text });

        Assert.Equal(normalized, plan.NormalizedText);
        Assert.DoesNotContain(".ˈ", plan.Phonemes);
        Assert.Equal(normalized.Count(c => c == '.'), plan.Phonemes.Count(c => c == '.'));
    }

    [Theory]
    [InlineData("Wait - what?", "wˈAt — wˌʌt?")]
    [InlineData("It was cold – very cold.", "ɪt wʌz kˈOld — vˈɛɹi kˈOld.")]
    public async Task ADashBetweenWordsIsAnEmDashTheModelPausesOn(string text, string phonemes)
    {
        using var factory = new ServiceFactory();

        var plan = await PhonemizeAsync(factory, new { text });

        Assert.Equal(phonemes, plan.Phonemes);
    }

    private static async Task<Plan> PhonemizeAsync(ServiceFactory factory, object body)
    {
        using var response = await ServiceClient.PostAsync(factory.CreateClient(), "/dev/phonemize", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Plan>(new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }))!;
    }

    private sealed record Plan(string Phonemes, long[] Tokens, string NormalizedText, IReadOnlyList<Chunk> Chunks);

    private sealed record Chunk(string Phonemes, long[] Tokens);
}
