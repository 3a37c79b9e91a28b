namespace PatternTts.Service.Tests.Synthesis;

public sealed class InputWordMapperTests
{
    [Fact]
    public void ExpandedWordsSpanTheInputWordTheyCameFrom()
    {
        var mapper = new InputWordMapper("I paid $5 in 1492.");

        var words = mapper.Add(Spoken("I", "paid", "five", "dollars", "in", "fourteen", "ninety", "two")).Concat(mapper.Finish()).ToList();

        Assert.Equal(["I", "paid", "$5", "in", "1492"], words.Select(w => w.Word));
        Assert.Equal((2.0, 4.0), (words[2].StartTime, words[2].EndTime));
        Assert.Equal((5.0, 8.0), (words[4].StartTime, words[4].EndTime));
        Assert.Equal((7, 9), (words[2].StartIndex, words[2].EndIndex));
        Assert.Equal("1492.", "I paid $5 in 1492."[words[4].StartIndex..words[4].EndIndex]);
    }

    [Fact]
    public void AWordIsGivenOutOnlyOnceWhatFollowsItIsAnchored()
    {
        var mapper = new InputWordMapper("Call 911 now");

        var first = mapper.Add(Spoken("call", "nine", "one"));
        var second = mapper.Add(Spoken(3, "one", "now"));

        Assert.Equal(["Call"], first.Select(w => w.Word));
        Assert.Equal(["911", "now"], second.Select(w => w.Word));
        Assert.Equal((1.0, 4.0), (second[0].StartTime, second[0].EndTime));
    }

    [Fact]
    public void PunctuationIsNoWordAndAnUnspokenWordTakesNoTime()
    {
        var mapper = new InputWordMapper("Yes — ok [sic] fine", offset: 100);

        var words = mapper.Add(Spoken("yes", "ok", "fine")).Concat(mapper.Finish()).ToList();

        Assert.Equal(["Yes", "ok", "sic", "fine"], words.Select(w => w.Word));
        Assert.Equal(words[2].StartTime, words[2].EndTime);
        Assert.Equal(100, words[0].StartIndex);
    }

    private static WordTiming[] Spoken(params string[] words) => Spoken(0, words);

    private static WordTiming[] Spoken(int start, params string[] words) =>
        [.. words.Select((w, i) => new WordTiming(w, start + i, start + i + 1))];
}
