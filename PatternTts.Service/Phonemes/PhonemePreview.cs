using System.Text;

namespace PatternTts.Service.Phonemes;

/// <summary>What a text becomes before the model: the words as normalized, their Kokoro phonemes and token ids.</summary>
public sealed record PhonemePreviewResult(string Phonemes, IReadOnlyList<long> Tokens, string NormalizedText);

/// <summary>Runs the text stages a synthesis runs (parse, normalize, phonemize, filter) and shows their result.</summary>
public sealed class PhonemePreview(SpeechTextPreparer preparer, IPhonemizer phonemizer, KokoroVocabulary vocabulary)
{
    public async Task<PhonemePreviewResult> ReadAsync(string text, KokoroLanguage language, CancellationToken cancellationToken)
    {
        var phonemes = new List<string>();
        var spoken = new StringBuilder();
        foreach (var segment in preparer.Prepare(text, NormalizationOptions.Default))
        {
            switch (segment)
            {
                case TextSegment.Text words:
                    spoken.Append(words.Value);
                    phonemes.Add(vocabulary.Filter(await phonemizer.PhonemizeAsync(words.Value, language, cancellationToken)));
                    break;
                case TextSegment.Phonemes given:
                    spoken.Append(given.DisplayWord);
                    phonemes.Add(vocabulary.Filter(given.Ipa));
                    break;
                case TextSegment.Pause:
                    spoken.Append(' ');
                    break;
            }
        }

        // Pieces are joined with a space, as the chunk planner joins them for the model.
        var joined = string.Join(' ', phonemes.Select(p => p.Trim()).Where(p => p.Length > 0));
        return new PhonemePreviewResult(joined, vocabulary.Encode(joined), Whitespace.Collapse(spoken.ToString()));
    }
}
