namespace PatternTts.Service.Tests.Text;

public sealed class PronunciationLexiconTests
{
    // The Kokoro v1.0 vocabulary (hexgrad/Kokoro-82M config.json); anything else is silently dropped by the model.
    private const string KokoroVocabulary =
        " !\"(),.:;?AIOQSTWYabcdefhijklmnopqrstuvwxyzæçðøŋœɐɑɒɔɕɖəɚɛɜɟɡɣɤɥɨɪɯɰɲɳɴɸɹɻɽɾʁʂʃʈʊʋʌʎʒʔʝʣʤʥʦʧʨʰʲˈˌː̃βθχᵊᵝᵻ—“”…→↓↗↘ꭧ";

    [Fact]
    public void EmbeddedLexiconLoadsProjectWords()
    {
        // Act
        var lexicon = PronunciationLexicon.LoadEmbedded();

        // Assert
        Assert.True(lexicon.Count >= 30);
        Assert.True(lexicon.TryGetPhonemes("Kokoro", out var kokoro));
        Assert.Equal("kˈOkəɹO", kokoro);
        Assert.True(lexicon.TryGetPhonemes("tts", out var tts));
        Assert.Equal("tˌitˌiˈɛs", tts);
        Assert.True(lexicon.TryGetPhonemes("ONNX", out var onnx));
        Assert.Equal("ˈɑnɪks", onnx);
    }

    [Fact]
    public void EmbeddedLexiconUsesOnlyKokoroPhonemes()
    {
        var lexicon = PronunciationLexicon.LoadEmbedded();
        using var stream = typeof(PronunciationLexicon).Assembly.GetManifestResourceStream(
            typeof(PronunciationLexicon).Assembly.GetManifestResourceNames().Single(n => n.EndsWith("lexicon.json", StringComparison.Ordinal)))!;
        var entries = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(stream)!;

        var bad = entries
            .Where(e => e.Value.Any(c => !KokoroVocabulary.Contains(c)))
            .Select(e => e.Key)
            .ToList();

        Assert.Equal(entries.Count, lexicon.Count);
        Assert.Empty(bad);
    }

    [Fact]
    public void LoadReadsJsonObject()
    {
        using var json = new MemoryStream("""{ "Foo": "fˈu", " ": "x" }"""u8.ToArray());

        var lexicon = PronunciationLexicon.Load(json);

        Assert.Equal(1, lexicon.Count);
        Assert.True(lexicon.TryGetPhonemes("FOO", out var foo));
        Assert.Equal("fˈu", foo);
    }

    [Fact]
    public void LoadRejectsJsonThatIsNotAnObject()
    {
        using var json = new MemoryStream("[1, 2]"u8.ToArray());

        Assert.Throws<System.Text.Json.JsonException>(() => PronunciationLexicon.Load(json));
    }
}
