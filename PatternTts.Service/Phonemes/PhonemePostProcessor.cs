using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace PatternTts.Service.Phonemes;

/// <summary>
/// Rewrites espeak-ng IPA (with '^' ties) into the phoneme alphabet Kokoro v1.0 was trained on: misaki's
/// single-letter diphthongs (eɪ → A, aɪ → I, …) and its v1.0 rewrites. Without this the model hears symbols it
/// never saw in training.
/// </summary>
/// <remarks>
/// No Unicode normalization: espeak writes a nasal vowel as the vowel plus U+0303, both in the vocabulary, while the
/// composed letters (ã, õ, …) are not, so composing them would delete the vowel.
/// </remarks>
public static partial class PhonemePostProcessor
{
    // Longest patterns first: the tables are applied in order.
    private static readonly (string From, string To)[] English =
    [
        // A glottal stop before a syllabic n is a plain n in misaki (kitten, button), not ᵊn.
        ("ʔˌn\u0329", "ʔn"), ("ʔn\u0329", "ʔn"),
    ];

    private static readonly (string From, string To)[] EnglishCombined =
    [
        ("a^ɪ", "I"), ("a^ʊ", "W"), ("d^ʒ", "ʤ"), ("t^ʃ", "ʧ"), ("ɔ^ɪ", "Y"), ("ə^l", "ᵊl"),
        // espeak en-us writes an r-coloured vowel (ɚ, or one tied to ɹ) and then a linking ɹ (arrived, memory,
        // during): one ɹ, not two.
        ("^ɹɹ", "ɹ"), ("ɚɹ", "əɹ"), ("ɚ", "əɹ"), ("r", "ɹ"), ("x", "k"), ("ç", "k"), ("ɐ", "ə"), ("ɬ", "l"), ("\u0303", ""),
    ];

    private static readonly (string From, string To)[] American =
    [
        ("o^ʊ", "O"), ("ɜːɹ", "ɜɹ"), ("ɜː", "ɜɹ"), ("ɪ^ə", "iə"), ("ɪə", "iə"), ("e^ɪ", "A"), ("e", "A"), ("ː", ""),
        // The nearest American vowel for a British one espeak lets through, rather than dropping the vowel.
        ("ɒ", "ɑ"), ("a", "æ"),
    ];

    private static readonly (string From, string To)[] British =
    [
        // en-gb writes the NEAR vowel tied (year, here, idea).
        ("e^ə", "ɛː"), ("i^ə", "ɪə"), ("iə", "ɪə"), ("ə^ʊ", "Q"), ("e^ɪ", "A"), ("e", "A"),
        // misaki's British set has no flap and no æ: the nearest it has.
        ("ɾ", "t"), ("æ", "a"),
    ];

    private static readonly (string From, string To)[] EnglishFinal = [("o", "ɔ"), ("ɾ", "T"), ("ʔ", "t")];

    private static readonly (string From, string To)[] Other =
    [
        ("a^ɪ", "I"), ("a^ʊ", "W"), ("d^z", "ʣ"), ("d^ʒ", "ʤ"), ("e^ɪ", "A"), ("o^ʊ", "O"), ("ə^ʊ", "Q"),
        ("s^s", "S"), ("t^s", "ʦ"), ("t^ʃ", "ʧ"), ("ɔ^ɪ", "Y"), ("-", ""),
    ];

    /// <summary>The phonemes misaki's American lexicon and fallback produce (with T after the v1.0 rewrite).</summary>
    public const string AmericanSymbols = "AIOWYbdfhijklmnpstuvwzæðŋɑɔəɛɜɡɪɹɾʃʊʌʒʤʧˈˌθᵊᵻʔT";

    /// <summary>The phonemes misaki's British lexicon and fallback produce.</summary>
    public const string BritishSymbols = "AIQWYabdfhijklmnpstuvwzðŋɑɒɔəɛɜɡɪɹʃʊʌʒʤʧˈˌːθᵊ";

    private static readonly SearchValues<char> AmericanSet = SearchValues.Create(AmericanSymbols);
    private static readonly SearchValues<char> BritishSet = SearchValues.Create(BritishSymbols);

    public static string Process(string espeakIpa, KokoroLanguage language)
    {
        var text = LanguageSwitchFlag().Replace(espeakIpa, string.Empty);
        if (language.IsEnglish)
        {
            var american = language.Code == 'a';
            text = Apply(text, English);
            text = PalatalBeforeVowel().Replace(text, "j");
            text = text.Replace("ʲ", string.Empty);
            text = SyllabicConsonant().Replace(text, "ᵊ$1");
            text = Apply(text, EnglishCombined);
            text = Apply(text, american ? American : British);
            text = Apply(text, EnglishFinal);
            text = american ? Ninety().Replace(text, "nˈIndi") : ReducedShun().Replace(text, "$1ᵊn");

            text = KeepOnly(text.Replace("^", string.Empty), american ? AmericanSet : BritishSet);
        }
        else
        {
            text = Apply(text, Other).Replace("^", string.Empty);
        }

        return text;
    }

    /// <summary>
    /// Drops any letter outside the language's misaki set (punctuation and spaces stay): the model never heard a
    /// British ɒ in an American voice, and a symbol it never heard is noise, not speech.
    /// </summary>
    private static string KeepOnly(string text, SearchValues<char> symbols)
    {
        if (!text.AsSpan().ContainsAnyExcept(symbols))
        {
            return text;
        }

        var kept = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (symbols.Contains(c) || !char.IsLetter(c) && !IsModifier(c))
            {
                kept.Append(c);
            }
        }

        return kept.ToString();
    }

    private static bool IsModifier(char c) =>
        char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.ModifierLetter
            or System.Globalization.UnicodeCategory.NonSpacingMark
            or System.Globalization.UnicodeCategory.ModifierSymbol;

    private static string Apply(string text, (string From, string To)[] table)
    {
        foreach (var (from, to) in table)
        {
            text = text.Replace(from, to, StringComparison.Ordinal);
        }

        return text;
    }

    // espeak marks a switch to another language's rules as "(en)" … "(fr)", with ties inside ("(^e^n)");
    // phonemizer's remove-flags drops them. The phonemizer splits parentheses out of the text, so espeak never
    // echoes one of the input's.
    [GeneratedRegex(@"\((?:\^?[a-z]){2,3}(?:\^?-(?:\^?[a-z0-9])+)*\)")]
    private static partial Regex LanguageSwitchFlag();

    // misaki and kokoro-js voice the t of "ninety" (every year 1990-1999, ninety-nine), not of "nineteen".
    [GeneratedRegex("nˈInti(?!n(?![ˈˌ]))")]
    private static partial Regex Ninety();

    // misaki's British lexicon reduces the -tion/-sion ending to a syllabic n (ʃᵊn 2,840 entries, ʃən 492).
    [GeneratedRegex("([ʃʒ])ən(?![ˈˌaeiouæɑɒɔəɛɜɪʊʌAIOQWYᵊ])")]
    private static partial Regex ReducedShun();

    [GeneratedRegex("ʲ(?=[oə])")]
    private static partial Regex PalatalBeforeVowel();

    // espeak marks a syllabic consonant with U+0329 after it; misaki writes a reduced schwa before it instead.
    [GeneratedRegex("(\\p{L})\u0329")]
    private static partial Regex SyllabicConsonant();
}
