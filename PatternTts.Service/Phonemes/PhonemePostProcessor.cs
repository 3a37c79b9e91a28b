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
    private static readonly (string From, string To)[] English =
    [
        ("a^ɪ", "I"), ("a^ʊ", "W"), ("d^ʒ", "ʤ"), ("t^ʃ", "ʧ"), ("ɔ^ɪ", "Y"), ("ə^l", "ᵊl"),
        ("ɚ", "əɹ"), ("r", "ɹ"), ("x", "k"), ("ç", "k"), ("ɐ", "ə"), ("ɬ", "l"), ("\u0303", ""),
    ];

    private static readonly (string From, string To)[] American =
    [
        ("o^ʊ", "O"), ("ɜːɹ", "ɜɹ"), ("ɜː", "ɜɹ"), ("ɪə", "iə"), ("e^ɪ", "A"), ("e", "A"), ("ː", ""),
    ];

    private static readonly (string From, string To)[] British =
    [
        ("e^ə", "ɛː"), ("iə", "ɪə"), ("ə^ʊ", "Q"), ("e^ɪ", "A"), ("e", "A"),
    ];

    private static readonly (string From, string To)[] EnglishFinal = [("o", "ɔ"), ("ɾ", "T"), ("ʔ", "t")];

    private static readonly (string From, string To)[] Other =
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
            text = Apply(text, English);
            text = Apply(text, language.Code == 'a' ? American : British);
            text = Apply(text, EnglishFinal);
        }
        else
        {
            text = Apply(text, Other);
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
