using System.Text;
using System.Text.RegularExpressions;

namespace PatternTts.Service.Phonemes;

/// <summary>Turns text into Kokoro phonemes in one language.</summary>
public interface IPhonemizer
{
    Task<string> PhonemizeAsync(string text, KokoroLanguage language, CancellationToken cancellationToken);
}

/// <summary>
/// espeak-ng G2P with Kokoro's post-processing. espeak drops punctuation, which drives the model's prosody, so the
/// text is split around punctuation runs, only the words between them are phonemized, and the punctuation is put
/// back verbatim (as kokoro-js does).
/// </summary>
public sealed partial class EspeakPhonemizer(EspeakLibrary espeak) : IPhonemizer
{
    public async Task<string> PhonemizeAsync(string text, KokoroLanguage language, CancellationToken cancellationToken)
    {
        if (language.EspeakVoice is null)
        {
            throw new UnsupportedLanguageException(language);
        }

        var result = new StringBuilder(text.Length * 2);
        var last = 0;
        foreach (Match punctuation in PunctuationRun().Matches(text))
        {
            await AppendWordsAsync(result, text[last..punctuation.Index], language, cancellationToken);
            AppendPunctuation(result, punctuation.Value);
            last = punctuation.Index + punctuation.Length;
        }

        await AppendWordsAsync(result, text[last..], language, cancellationToken);
        return Whitespace.Collapse(result.ToString());
    }

    private async Task AppendWordsAsync(StringBuilder result, string words, KokoroLanguage language, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(words))
        {
            return;
        }

        var ipa = await espeak.TextToPhonemesAsync(words, language.EspeakVoice!, cancellationToken);
        if (result.Length > 0 && !char.IsWhiteSpace(result[^1]) && char.IsWhiteSpace(words[0]))
        {
            result.Append(' ');
        }

        result.Append(PhonemePostProcessor.Process(ipa, language));
        if (char.IsWhiteSpace(words[^1]))
        {
            result.Append(' ');
        }
    }

    private static void AppendPunctuation(StringBuilder result, string run)
    {
        var trimmed = run.Trim();
        if (run.Length > 0 && char.IsWhiteSpace(run[0]) && result.Length > 0 && !char.IsWhiteSpace(result[^1]))
        {
            result.Append(' ');
        }

        result.Append(trimmed);
        if (char.IsWhiteSpace(run[^1]))
        {
            result.Append(' ');
        }
    }

    [GeneratedRegex(@"\s*[;:,.!?¡¿—…""«»“”(){}\[\]]+\s*")]
    private static partial Regex PunctuationRun();
}

public sealed class UnsupportedLanguageException(KokoroLanguage language)
    : Exception($"Language '{language.Code}' ({language.Name}) is not supported: espeak-ng cannot produce the phonemes Kokoro was trained on for it.")
{
    public KokoroLanguage Language { get; } = language;
}
