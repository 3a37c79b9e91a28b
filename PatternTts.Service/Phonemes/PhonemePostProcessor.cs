using System.Text;
using System.Text.RegularExpressions;

namespace PatternTts.Service.Phonemes;

/// <summary>
/// Rewrites espeak-ng IPA (with '^' ties) into the phoneme alphabet Kokoro v1.0 was trained on: misaki's
/// single-letter diphthongs (eɪ → A, aɪ → I, …) and its v1.0 rewrites. Without this the model hears symbols it
/// never saw in training.
/// </summary>
public static partial class PhonemePostProcessor
{
    // Longest patterns first: the tables are applied in order.
    private static readonly (string From, string To)[] s_english =
    [
        ("a^ɪ", "I"), ("a^ʊ", "W"), ("d^ʒ", "ʤ"), ("t^ʃ", "ʧ"), ("ɔ^ɪ", "Y"), ("ə^l", "ᵊl"),
        ("ɚ", "əɹ"), ("r", "ɹ"), ("x", "k"), ("ç", "k"), ("ɐ", "ə"), ("ɬ", "l"), ("\u0303", ""),
    ];

    private static readonly (string From, string To)[] s_american =
    [
        ("o^ʊ", "O"), ("ɜːɹ", "ɜɹ"), ("ɜː", "ɜɹ"), ("ɪə", "iə"), ("e^ɪ", "A"), ("e", "A"), ("ː", ""),
    ];

    private static readonly (string From, string To)[] s_british =
    [
        ("e^ə", "ɛː"), ("iə", "ɪə"), ("ə^ʊ", "Q"), ("e^ɪ", "A"), ("e", "A"),
    ];

    private static readonly (string From, string To)[] s_englishFinal = [("o", "ɔ"), ("ɾ", "T"), ("ʔ", "t")];

    private static readonly (string From, string To)[] s_other =
    [
        ("a^ɪ", "I"), ("a^ʊ", "W"), ("d^z", "ʣ"), ("d^ʒ", "ʤ"), ("e^ɪ", "A"), ("o^ʊ", "O"), ("ə^ʊ", "Q"),
        ("s^s", "S"), ("t^s", "ʦ"), ("t^ʃ", "ʧ"), ("ɔ^ɪ", "Y"), ("-", ""),
    ];

    public static string Process(string espeakIpa, KokoroLanguage language)
    {
        var text = espeakIpa.Normalize(NormalizationForm.FormC);
        if (language.IsEnglish)
        {
            text = PalatalBeforeVowel().Replace(text, "j");
            text = text.Replace("ʲ", string.Empty);
            text = SyllabicConsonant().Replace(text, "ᵊ$1");
            text = Apply(text, s_english);
            text = Apply(text, language.Code == 'a' ? s_american : s_british);
            text = Apply(text, s_englishFinal);
        }
        else
        {
            text = Apply(text, s_other);
        }

        return text.Replace("^", string.Empty);
    }

    private static string Apply(string text, (string From, string To)[] table)
    {
        foreach (var (from, to) in table)
        {
            text = text.Replace(from, to, StringComparison.Ordinal);
        }

        return text;
    }

    [GeneratedRegex("ʲ(?=[oə])")]
    private static partial Regex PalatalBeforeVowel();

    // espeak marks a syllabic consonant with U+0329 after it; misaki writes a reduced schwa before it instead.
    [GeneratedRegex("(\\p{L})\u0329")]
    private static partial Regex SyllabicConsonant();
}
