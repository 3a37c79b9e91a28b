using System.Text;

namespace PatternTts.Service.Phonemes;

/// <summary>What a text becomes before the model: the words as normalized, their Kokoro phonemes and token ids, and the model calls.</summary>
public sealed record PhonemePreviewResult(string Phonemes, IReadOnlyList<long> Tokens, string NormalizedText, IReadOnlyList<PhonemeChunk> Calls);

/// <summary>
/// Runs the stages a Kokoro synthesis runs before the model (parse, normalize, phonemize, filter, plan) and shows
/// their result: the calls are exactly the ones the engine would make for a request streamed or not.
/// </summary>
public sealed class PhonemePreview(SpeechTextPreparer preparer, ChunkPlanner planner, KokoroVocabulary vocabulary)
{
    public async Task<PhonemePreviewResult> ReadAsync(string text, KokoroLanguage language, bool streamed, CancellationToken cancellationToken)
    {
        var segments = preparer.Prepare(text, NormalizationOptions.Default, language);
        var spoken = new StringBuilder();
        foreach (var segment in segments)
        {
            spoken.Append(segment switch
            {
                TextSegment.Text words => words.Value,
                TextSegment.Phonemes given => given.DisplayWord,
                _ => " ",
            });
        }

        var calls = new List<PhonemeChunk>();
        await foreach (var item in planner.PlanAsync(segments, language, streamed, cancellationToken))
        {
            if (item is PhonemeChunk { Tokens.Count: > 0 } chunk)
            {
                calls.Add(chunk);
            }
        }

        var joined = string.Join(' ', calls.Select(c => c.Phonemes));
        return new PhonemePreviewResult(joined, vocabulary.Encode(joined), Whitespace.Collapse(spoken.ToString()), calls);
    }
}
