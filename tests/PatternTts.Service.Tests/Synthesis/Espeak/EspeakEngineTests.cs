using Microsoft.Extensions.Options;

namespace PatternTts.Service.Tests.Synthesis.Espeak;

public sealed class EspeakEngineTests
{
    private static readonly EspeakEngine Engine = new(
        new EspeakLibrary(),
        new SpeechTextPreparer(new SpeechTextParser(PronunciationLexicon.LoadEmbedded()), new TextNormalizer()),
        new SpeechBudget(Options.Create(new TtsOptions())));

    private static SpeechJob Job(string text) => new(
        text,
        new VoicePack("af_heart", 'a', new float[VoicePack.Rows * VoicePack.StyleSize]),
        KokoroLanguage.All['a'],
        1f,
        NormalizationOptions.Default);

    [Fact]
    public async Task LexiconWordsStayInsideTheirSentence()
    {
        var chunks = await Engine.SynthesizeAsync(Job("Pattern TTS reads the API docs aloud."), CancellationToken.None).ToListAsync();

        var chunk = Assert.Single(chunks);
        Assert.Equal("Pattern TTS reads the API docs aloud.", chunk.Text);
        Assert.True(chunk.Samples.Length > 24_000);
    }

    [Fact]
    public async Task PauseTagsSplitTheTextAndBecomeExactSilence()
    {
        var chunks = await Engine.SynthesizeAsync(Job("First part. [pause:1.5s] Second part."), CancellationToken.None).ToListAsync();

        Assert.Equal(3, chunks.Count);
        Assert.Equal("First part.", chunks[0].Text);
        Assert.Equal(36_000, chunks[1].Samples.Length);
        Assert.All(chunks[1].Samples, s => Assert.Equal(0f, s));
        Assert.Equal("Second part.", chunks[2].Text);
    }
}
