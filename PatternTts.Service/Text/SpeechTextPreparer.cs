namespace PatternTts.Service.Text;

/// <summary>
/// The first stage: written text → segments in speaking order. Inline overrides, lexicon words and pause tags are
/// split out first, so normalization only ever sees plain prose.
/// </summary>
public sealed class SpeechTextPreparer(SpeechTextParser parser, TextNormalizer normalizer)
{
    public IReadOnlyList<TextSegment> Prepare(string text, NormalizationOptions normalization, KokoroLanguage language) =>
        [.. parser.Parse(text, useLexicon: language.Code != 'b').Select(segment => segment is TextSegment.Text words
            ? new TextSegment.Text(normalizer.Normalize(words.Value, normalization))
            : segment)];
}
