namespace PatternTts.Service.Tests.Phonemes;

public sealed class PhonemizerTests
{
    private static readonly KokoroLanguage American = KokoroLanguage.All['a'];
    private static readonly KokoroLanguage British = KokoroLanguage.All['b'];

    [Fact]
    public async Task AmericanEnglishUsesMisakiDiphthongLettersAndFlapRewrite()
    {
        var phonemizer = new EspeakPhonemizer(new EspeakLibrary());

        var phonemes = await phonemizer.PhonemizeAsync("My name is better, I know.", American, CancellationToken.None);

        Assert.Equal("mI nˈAm ɪz bˈɛTəɹ, I nˈO.", phonemes);
    }

    [Fact]
    public async Task PunctuationIsKeptWhereTheTextHadIt()
    {
        var phonemizer = new EspeakPhonemizer(new EspeakLibrary());

        var phonemes = await phonemizer.PhonemizeAsync("Hello; world! Why? Yes…", American, CancellationToken.None);

        Assert.Matches(@"^\S+; \S+! \S+\? \S+…$", phonemes);
    }

    [Fact]
    public async Task BritishEnglishUsesQForTheGoatVowel()
    {
        var phonemizer = new EspeakPhonemizer(new EspeakLibrary());

        var phonemes = await phonemizer.PhonemizeAsync("go home", British, CancellationToken.None);

        Assert.Contains("Q", phonemes);
        Assert.DoesNotContain("O", phonemes);
    }

    [Fact]
    public async Task EveryPhonemeOfOrdinaryEnglishIsInTheKokoroVocabulary()
    {
        var phonemizer = new EspeakPhonemizer(new EspeakLibrary());

        var phonemes = await phonemizer.PhonemizeAsync(
            "The quick brown fox jumps over the lazy dog while the bird sings through a thousand rhythms.",
            American,
            CancellationToken.None);

        Assert.Equal(phonemes, KokoroVocabulary.Default.Filter(phonemes));
    }

    [Fact]
    public async Task JapaneseIsRefusedWithAClearReason()
    {
        var phonemizer = new EspeakPhonemizer(new EspeakLibrary());

        var error = await Assert.ThrowsAsync<UnsupportedLanguageException>(
            () => phonemizer.PhonemizeAsync("konnichiwa", KokoroLanguage.All['j'], CancellationToken.None));

        Assert.Contains("Japanese", error.Message);
    }

    [Fact]
    public async Task ConcurrentCallsInDifferentLanguagesNeverSwapText()
    {
        var phonemizer = new EspeakPhonemizer(new EspeakLibrary());
        var english = await phonemizer.PhonemizeAsync("good morning", American, CancellationToken.None);
        var spanish = await phonemizer.PhonemizeAsync("buenos días", KokoroLanguage.All['e'], CancellationToken.None);

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => i % 2 == 0
            ? phonemizer.PhonemizeAsync("good morning", American, CancellationToken.None)
            : phonemizer.PhonemizeAsync("buenos días", KokoroLanguage.All['e'], CancellationToken.None)));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? english : spanish, results[i]);
        }
    }

    [Fact]
    public void VocabularyMapsPhonemesToTheV1Ids()
    {
        var ids = KokoroVocabulary.Default.Encode("hˈA, ɡ!«");

        Assert.Equal([50L, 156, 24, 3, 16, 92, 5], ids);
    }
}
