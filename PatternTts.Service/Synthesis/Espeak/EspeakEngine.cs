namespace PatternTts.Service.Synthesis.Espeak;

/// <summary>
/// Real synthesis through libespeak-ng, resampled to 24 kHz: the robot voice, so the whole chain speaks where no
/// Kokoro model exists. Never presented as Kokoro: responses say <c>espeak-ng</c>.
/// </summary>
public sealed class EspeakEngine(EspeakLibrary espeak, SpeechTextPreparer preparer, SpeechBudget budget) : ISpeechEngine
{
    private const int DefaultWordsPerMinute = 175;

    // espeak speaks a few hundred characters in well under a second; the first chunk stays one clause for latency.
    private const int ChunkCharacters = 400;

    public string Name => EngineNames.Espeak;

    public string ModelName => "espeak-ng";

    public string? Identity => EspeakLibrary.IsAvailable ? EngineNames.Espeak : null;

    public async IAsyncEnumerable<SpeechChunk> SynthesizeAsync(SpeechJob job, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var voice = job.Language.EspeakVoice ?? throw new UnsupportedLanguageException(job.Language);
        var rate = (int)Math.Round(DefaultWordsPerMinute * job.Speed);
        var first = true;
        foreach (var run in SpokenRuns(budget.Check(preparer.Prepare(job.Text, job.Normalization, job.Language), job.Speed)))
        {
            if (run is TextSegment.Pause silence)
            {
                yield return new SpeechChunk(ChunkShaper.Silence(silence.Duration), string.Empty, 0, Boundary.None);
                continue;
            }

            foreach (var (text, end) in Pack(ClauseSplitter.Split(((TextSegment.Text)run).Value), first))
            {
                first = false;
                yield return await SpeakAsync(text, end, voice, rate, job, cancellationToken);
            }
        }
    }

    /// <summary>
    /// espeak cannot read Kokoro IPA, so a lexicon word or an inline override is spoken as its written word, kept
    /// inside its sentence (a word spoken on its own loses the sentence's intonation). Only pauses split the text.
    /// </summary>
    private static IEnumerable<TextSegment> SpokenRuns(IEnumerable<TextSegment> segments)
    {
        var text = new System.Text.StringBuilder();
        foreach (var segment in segments)
        {
            switch (segment)
            {
                case TextSegment.Text words:
                    text.Append(words.Value);
                    break;
                case TextSegment.Phonemes phonemes:
                    text.Append(phonemes.DisplayWord);
                    break;
                case TextSegment.Pause:
                    if (text.Length > 0)
                    {
                        yield return new TextSegment.Text(text.ToString());
                        text.Clear();
                    }

                    yield return segment;
                    break;
            }
        }

        if (text.Length > 0)
        {
            yield return new TextSegment.Text(text.ToString());
        }
    }

    private async Task<SpeechChunk> SpeakAsync(string text, Boundary end, string voice, int rate, SpeechJob job, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var speech = await espeak.SynthesizeAsync(text, voice, rate, cancellationToken);
        var synthesisTime = Stopwatch.GetElapsedTime(started);
        var samples = Resampler.Convert(speech.Samples, speech.SampleRate, Audio.AudioConstants.SampleRate);
        var shaped = ChunkShaper.Shape(samples, end, job.Speed, job.Volume, out var trimmed);
        if (!job.WordTimings)
        {
            return new SpeechChunk(shaped, text, text.Length, end, ModelTime: synthesisTime);
        }

        var words = WordAligner.FromWordStarts(text, speech.WordStartsAt(Audio.AudioConstants.SampleRate), samples, trimmed, shaped.Length - ChunkShaper.PauseAfter(end, job.Speed));
        return new SpeechChunk(shaped, text, text.Length, end, words, WordTimingSources.EspeakEvents, synthesisTime);
    }

    private static IEnumerable<(string Text, Boundary End)> Pack(List<Clause> clauses, bool firstIsShort)
    {
        var pending = new List<Clause>();
        var length = 0;
        foreach (var clause in clauses)
        {
            if (pending.Count > 0 && (firstIsShort || length + clause.Text.Length > ChunkCharacters))
            {
                yield return (string.Join(' ', pending.Select(c => c.Text)), pending[^1].End);
                pending.Clear();
                length = 0;
                firstIsShort = false;
            }

            pending.Add(clause);
            length += clause.Text.Length + 1;
        }

        if (pending.Count > 0)
        {
            yield return (string.Join(' ', pending.Select(c => c.Text)), pending[^1].End);
        }
    }
}
