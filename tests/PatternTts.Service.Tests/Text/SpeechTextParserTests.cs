namespace PatternTts.Service.Tests.Text;

public sealed class SpeechTextParserTests
{
    private static readonly SpeechTextParser Parser = new(new PronunciationLexicon(new Dictionary<string, string>
    {
        ["Kokoro"] = "kˈOkəɹO",
        ["TTS"] = "tˌitˌiˈɛs",
        ["API"] = "ˌAˌpiˈI",
    }));

    [Fact]
    public void InlineOverrideBecomesPhonemes()
    {
        // Act
        var segments = Parser.Parse("Say [tomato](/təmˈɑTO/) please.");

        // Assert
        Assert.Equal(
            [new TextSegment.Text("Say "), new TextSegment.Phonemes("təmˈɑTO", "tomato"), new TextSegment.Text(" please.")],
            segments);
    }

    [Fact]
    public void LexiconWordsBypassThePhonemizerWhateverTheirCase()
    {
        var segments = Parser.Parse("I like kokoro and tts.");

        Assert.Equal(
            [
                new TextSegment.Text("I like "),
                new TextSegment.Phonemes("kˈOkəɹO", "kokoro"),
                new TextSegment.Text(" and "),
                new TextSegment.Phonemes("tˌitˌiˈɛs", "tts"),
                new TextSegment.Text("."),
            ],
            segments);
    }

    [Theory]
    [InlineData("Kokoros are fine")]
    [InlineData("kokoroish")]
    [InlineData("rapid")]
    [InlineData("Kokoro's voice")]
    [InlineData("see api.example.com")]
    [InlineData("mail tts@example.com")]
    [InlineData("https://example.com/api/v1")]
    [InlineData("See https://example.com/path")]
    [InlineData("visit http://host:8080 now")]
    [InlineData("my-api-key")]
    public void LexiconMatchesOnlyWholeWords(string text) =>
        Assert.Equal([new TextSegment.Text(text)], Parser.Parse(text));

    [Fact]
    public void LexiconWordNextToPunctuationStillMatches()
    {
        var segments = Parser.Parse("(API), API! \"TTS\"");

        Assert.Equal(3, segments.OfType<TextSegment.Phonemes>().Count());
    }

    [Theory]
    [InlineData("[pause:1.5s]", 1500)]
    [InlineData("[pause:500ms]", 500)]
    [InlineData("[PAUSE: 2 s]", 2000)]
    [InlineData("[pause:2]", 2000)]
    [InlineData("[pause:.25s]", 250)]
    [InlineData("[pause:10s]", 10_000)]
    public void PauseTagsBecomePauses(string tag, int milliseconds) =>
        Assert.Equal([new TextSegment.Pause(TimeSpan.FromMilliseconds(milliseconds))], Parser.Parse(tag));

    [Theory]
    [InlineData("[pause:30s]")]
    [InlineData("[pause:600000ms]")]
    public void LongPausesAreClampedToTenSeconds(string tag) =>
        Assert.Equal([new TextSegment.Pause(SpeechTextParser.MaxPause)], Parser.Parse(tag));

    [Fact]
    public void ZeroPauseAddsNothing() =>
        Assert.Equal([new TextSegment.Text("a  b")], Parser.Parse("a [pause:0s] b"));

    [Theory]
    [InlineData("[pause:abc]")]
    [InlineData("[pause:-1s]")]
    [InlineData("[pause:1.5h]")]
    [InlineData("[pause:]")]
    public void MalformedPauseTagsAreRejected(string tag)
    {
        var error = Assert.Throws<SpeechTextFormatException>(() => Parser.Parse($"Hello {tag} world"));

        Assert.Contains(tag, error.Message);
    }

    [Fact]
    public void TextPausesAndOverridesKeepTheirOrder()
    {
        var segments = Parser.Parse("Hello[pause:1s]the [API](/ˈApi/) and Kokoro.[pause:250ms]");

        Assert.Equal(
            [
                new TextSegment.Text("Hello"),
                new TextSegment.Pause(TimeSpan.FromSeconds(1)),
                new TextSegment.Text("the "),
                new TextSegment.Phonemes("ˈApi", "API"),
                new TextSegment.Text(" and "),
                new TextSegment.Phonemes("kˈOkəɹO", "Kokoro"),
                new TextSegment.Text("."),
                new TextSegment.Pause(TimeSpan.FromMilliseconds(250)),
            ],
            segments);
    }

    [Theory]
    [InlineData("[note] plain brackets")]
    [InlineData("a [link](https://example.com)")]
    [InlineData("[unclosed](/abc")]
    public void OtherBracketsStayText(string text) => Assert.Equal([new TextSegment.Text(text)], Parser.Parse(text));

    [Fact]
    public void EmptyTextHasNoSegments() => Assert.Empty(Parser.Parse(""));

    [Fact]
    public void EmptyLexiconOnlyHandlesTags()
    {
        var parser = new SpeechTextParser(PronunciationLexicon.Empty);

        Assert.Equal([new TextSegment.Text("Kokoro TTS")], parser.Parse("Kokoro TTS"));
    }
}
