namespace PatternTts.Service.Tests.Synthesis;

/// <summary>How a chunk's words are put on its audio, from each kind of evidence.</summary>
public sealed class WordAlignerTests
{
    [Fact]
    public void DurationsGiveEachWordTheSpanOfItsPhonemesAfterTheTrimmedLead()
    {
        // Arrange: "ab cd." — pad 2 units, a 1, b 1, space 2, c 1, d 3, '.' 1, pad 1 (600 samples a unit).
        var output = new KokoroModelOutput(new float[600 * 12], [2, 1, 1, 2, 1, 3, 1, 1]);

        // Act: 300 samples were trimmed from the front.
        var (words, source) = WordAligner.FromDurations("Ab cd.", "ab cd.", output.Durations, 600, output.Audio, 300, 600 * 12 - 300);

        // Assert
        Assert.Equal(WordTimingSources.ModelDurations, source);
        Assert.Equal(
            [new WordTiming("Ab", (1200 - 300) / 24000.0, (2400 - 300) / 24000.0), new WordTiming("cd", (3600 - 300) / 24000.0, (6000 - 300) / 24000.0)],
            words);
    }

    [Fact]
    public void MergedPhonemeGroupsStillGiveEveryWordItsOwnOrderedSpan()
    {
        // espeak writes "of the" as one group: three words, two groups.
        var output = new KokoroModelOutput(new float[600 * 20], [.. Enumerable.Repeat(1L, 2 + "ʌvðə mˈæn".Length)]);

        var (words, _) = WordAligner.FromDurations("of the man", "ʌvðə mˈæn", output.Durations, 600, output.Audio, 0, 600 * 20);

        Assert.Equal(["of", "the", "man"], words.Select(w => w.Word));
        Assert.All(words, w => Assert.True(w.EndTime > w.StartTime));
        Assert.True(words[1].StartTime >= words[0].EndTime && words[2].StartTime >= words[1].EndTime);
    }

    [Fact]
    public void WithoutDurationsTheVoicedSpanIsSharedByPhonemeCount()
    {
        // 0.1 s of silence, then 0.4 s of sound; "aa bbbbbb" has 2 + 1 + 6 symbols.
        var audio = new float[12_000];
        Array.Fill(audio, 0.5f, 2_400, 9_600);

        var (words, source) = WordAligner.FromDurations("aa bbbbbb", "aa bbbbbb", null, 600, audio, 0, audio.Length);

        Assert.Equal(WordTimingSources.Estimated, source);
        Assert.Equal(0.1, words[0].StartTime, 6);
        Assert.Equal(0.5, words[1].EndTime, 6);
        Assert.True(words[1].EndTime - words[1].StartTime > 2.5 * (words[0].EndTime - words[0].StartTime));
    }

    [Fact]
    public async Task EspeakWordEventsAnchorEveryWordOfASentenceAtItsCharacterPosition()
    {
        // Arrange
        const string text = "The quick brown fox jumps over the lazy dog.";
        var speech = await new EspeakLibrary().SynthesizeAsync(text, "en-us", 175, CancellationToken.None);

        // Assert: word events at 1-based word starts, in order, with rising sample positions. Under a loaded test
        // run espeak-ng now and then drops the first word's event, so one missing event is tolerated here; the
        // aligner gives such a word the time before its neighbour (see the estimated-fallback tests).
        int[] wordStarts = [1, 5, 11, 17, 21, 27, 32, 36, 41];
        var positions = speech.Words.Select(w => w.TextPosition).ToList();
        Assert.All(positions, p => Assert.Contains(p, wordStarts));
        Assert.True(positions.Count >= wordStarts.Length - 1, $"only {positions.Count} word events");
        Assert.Equal(positions.Order(), positions);
        Assert.True(speech.Words.Zip(speech.Words.Skip(1)).All(p => p.Second.Sample > p.First.Sample));
        Assert.InRange(speech.Words[^1].Sample, 1, speech.Samples.Length);

        var samples = Resampler.Convert(speech.Samples, speech.SampleRate, 24_000);
        var words = WordAligner.FromWordStarts(text, speech.WordStartsAt(24_000), samples, 0, samples.Length);
        Assert.Equal(wordStarts.Length, words.Count);
        foreach (var wordEvent in speech.Words)
        {
            var index = Array.IndexOf(wordStarts, wordEvent.TextPosition);
            Assert.Equal(Math.Round(wordEvent.Sample * 24_000.0 / speech.SampleRate) / 24_000.0, words[index].StartTime);
        }
    }
}
