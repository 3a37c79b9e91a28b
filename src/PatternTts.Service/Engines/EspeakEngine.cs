using PatternTts.Service.Phonemes;
using PatternTts.Service.Pipeline;
using PatternTts.Service.Text;

namespace PatternTts.Service.Engines;

/// <summary>
/// Real synthesis through libespeak-ng, resampled to 24 kHz: the robot voice, so the whole chain speaks where no
/// Kokoro model exists. Never presented as Kokoro: responses say <c>espeak-ng</c>.
/// </summary>
public sealed class EspeakEngine(EspeakLibrary espeak, SpeechTextPreparer preparer) : ISpeechEngine
{
    private const int DefaultWordsPerMinute = 175;

    // espeak speaks a few hundred characters in well under a second; the first chunk stays one clause for latency.
    private const int ChunkCharacters = 400;

    public string Name => EngineNames.Espeak;

    public string ModelName => "espeak-ng";

    public async IAsyncEnumerable<SpeechChunk> SynthesizeAsync(SpeechJob job, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var voice = job.Language.EspeakVoice ?? throw new UnsupportedLanguageException(job.Language);
        var rate = (int)Math.Round(DefaultWordsPerMinute * job.Speed);
        var first = true;
        foreach (var input in preparer.Prepare(job.Text, job.Normalization))
        {
            switch (input)
            {
                case TextSegment.Pause silence:
                    yield return new SpeechChunk(ChunkJoiner.Silence(silence.Duration), string.Empty, 0, Boundary.None);
                    break;
                case TextSegment.Phonemes phonemes:
                    // espeak cannot read Kokoro IPA; it says the word the phonemes stand for instead.
                    yield return await SpeakAsync(phonemes.DisplayWord, Boundary.None, voice, rate, job, cancellationToken);
                    break;
                case TextSegment.Text words:
                    foreach (var (text, end) in Pack(ClauseSplitter.Split(words.Value), first))
                    {
                        first = false;
                        yield return await SpeakAsync(text, end, voice, rate, job, cancellationToken);
                    }

                    break;
            }
        }
    }

    private async Task<SpeechChunk> SpeakAsync(string text, Boundary end, string voice, int rate, SpeechJob job, CancellationToken cancellationToken)
    {
        var speech = await espeak.SynthesizeAsync(text, voice, rate, cancellationToken);
        var samples = Resampler.ToFloat(speech.Samples, speech.SampleRate, Audio.AudioConstants.SampleRate);
        var shaped = ChunkJoiner.Shape(samples, end, job.Speed, job.Volume, out var trimmed);
        if (!job.WordTimings)
        {
            return new SpeechChunk(shaped, text, text.Length, end);
        }

        var words = WordAligner.ForEspeak(text, speech, samples, trimmed, shaped.Length - ChunkJoiner.PauseAfter(end, job.Speed));
        return new SpeechChunk(shaped, text, text.Length, end, words, WordTimingSources.EspeakEvents);
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
