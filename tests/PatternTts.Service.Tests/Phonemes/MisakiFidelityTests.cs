namespace PatternTts.Service.Tests.Phonemes;

/// <summary>
/// Kokoro v1.0 was trained on misaki's phonemes; these pin what reaches the model where espeak-ng's raw output
/// differs from misaki's, on the exact phonemes and token ids.
/// </summary>
public sealed class MisakiFidelityTests
{
    private static readonly EspeakPhonemizer Phonemizer = new(new EspeakLibrary());

    private static Task<string> PhonemizeAsync(string text, char language) =>
        Phonemizer.PhonemizeAsync(text, KokoroLanguage.All[language], CancellationToken.None);

    [Theory]
    [InlineData("हाँ", 'h', "hˈa\u0303", new long[] { 50, 156, 43, 17 })]
    [InlineData("um", 'p', "u\u0303ŋ", new long[] { 63, 17, 112 })]
    [InlineData("não", 'p', "nˈɐ\u0303ʊ\u0303", new long[] { 56, 156, 70, 17, 135, 17 })]
    public async Task NasalVowelsReachTheModelAsTheVowelAndItsTilde(string text, char language, string phonemes, long[] tokens)
    {
        var result = await PhonemizeAsync(text, language);

        Assert.Equal(phonemes, result);
        Assert.Equal(tokens, KokoroVocabulary.Default.Encode(result));
    }

    [Theory]
    [InlineData("le football", 'f', "lə fˈʊtbɔːl")]
    [InlineData("मुझे computer पसंद है", 'h', null)]
    public async Task EspeakLanguageSwitchFlagsAreNeverSpoken(string text, char language, string? phonemes)
    {
        var result = await PhonemizeAsync(text, language);

        Assert.DoesNotContain("(", result);
        Assert.DoesNotContain("en)", result);
        if (phonemes is not null)
        {
            Assert.Equal(phonemes, result);
        }
    }

    [Theory]
    [InlineData("arrived memory century number is", 'a', "əɹˈIvd mˈɛməɹi sˈɛnʧəɹi nˈʌmbəɹ ɪz")]
    [InlineData("year here idea", 'b', "jˈɪə hˈɪəɹ Idˈɪə")]
    [InlineData("kitten button", 'a', "kˈɪtn bˈʌtn")]
    [InlineData("ninety", 'a', "nˈIndi")]
    [InlineData("nineteen ninety-nine", 'a', "nˈIntin nˈIndinˈIn")]
    [InlineData("nation confusion", 'b', "nˈAʃᵊn kənfjˈuːʒᵊn")]
    public async Task EnglishMatchesMisakisRewritesOfEspeak(string text, char language, string phonemes)
    {
        Assert.Equal(phonemes, await PhonemizeAsync(text, language));
    }

    [Fact]
    public async Task AmericanRColouredVowelsNeverDoubleTheR()
    {
        var result = await PhonemizeAsync("The numbers arrived during the century of memory and error.", 'a');

        Assert.DoesNotContain("ɹɹ", result);
    }

    public static TheoryData<char, string> Paragraphs => new()
    {
        { 'a', EnglishParagraph },
        { 'b', EnglishParagraph },
    };

    [Theory]
    [MemberData(nameof(Paragraphs))]
    public async Task NoSymbolOutsideMisakisSetReachesTheModel(char language, string text)
    {
        var allowed = language == 'a' ? PhonemePostProcessor.AmericanSymbols : PhonemePostProcessor.BritishSymbols;

        var result = await PhonemizeAsync(text, language);

        var outside = result.Where(c => char.IsLetter(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.ModifierLetter
                or System.Globalization.UnicodeCategory.NonSpacingMark)
            .Where(c => !allowed.Contains(c)).Distinct().ToArray();
        Assert.True(outside.Length == 0, $"outside misaki's set: {string.Join(", ", outside.Select(c => $"{c} U+{(int)c:X4}"))} in {result}");
    }

    private const string EnglishParagraph =
        "Yesterday the orchestra rehearsed Tchaikovsky's symphony in the cathedral; the conductor, a thoughtful woman " +
        "from Edinburgh, asked the cellos to breathe through the adagio. Afterwards we ate bouillabaisse, croissants " +
        "and yoghurt, argued about Nietzsche, the Loch Ness monster and quantum chromodynamics, then walked home " +
        "beneath a luminous aurora while the hourly bells rang out over the harbour and the wind whistled through " +
        "the rigging of a thousand boats, with lots of hot water, the bottle and the car in the garage.";
}
