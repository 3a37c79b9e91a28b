using System.Text.RegularExpressions;

namespace PatternTts.Service.Text.Normalization;

/// <summary>
/// Turns written English into the words a person would say ("$5.3 thousand" → "five point three thousand dollars"),
/// before phonemization. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// Passes run in a fixed order so that each sees what the earlier ones left: addresses (emails, URLs, IPs, phones)
/// go first because their dots and digits must not be read as decimals; dates before ranges, so ISO dashes are not
/// read as "to"; money before plain numbers. Every pass emits words only, so later passes cannot re-read its output.
/// A period is only ever removed when it belongs to an abbreviation; one that also ends the sentence is kept.
/// </remarks>
public sealed partial class TextNormalizer
{
    // Shared pattern fragments, written once and joined into the patterns of every pass (constants, so the
    // generated regexes can use them too).
    private const string IntegerPattern = @"\d{1,3}(?:,\d{3})+|\d+";
    private const string DecimalPattern = @"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?";
    private const string NumberPattern = DecimalPattern + @"|\.\d+";
    private const string CurrencySymbols = NormalizationTables.CurrencySymbols;

    /// <summary>Normalizes <paramref name="text"/>; returns it unchanged when <see cref="NormalizationOptions.Normalize"/> is off.</summary>
    public string Normalize(string text, NormalizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Normalize || text.Length == 0)
        {
            return text;
        }

        var s = text.Replace('\u2018', '\'').Replace('\u2019', '\'').Replace('\u2212', '-');
        s = SpeakAddresses(s, options);
        if (options.OptionalPluralizationNormalization)
        {
            s = OptionalPluralRegex().Replace(s, "s");
        }

        s = SpeakDashes(s);
        s = SpeakDates(s);
        s = SpeakRanges(s);
        s = SpeakTimes(s);
        if (options.UnitNormalization)
        {
            s = SpeakUnits(s);
        }

        s = SpeakAbbreviations(s);
        s = SpeakRomanNumerals(s);
        s = SpeakMeasuresAndYears(s);
        s = SpeakMoney(s);
        s = SpeakNumbers(s);
        if (options.ReplaceRemainingSymbols)
        {
            s = ReplaceSymbols(s);
        }

        return Tidy(s, text);
    }

    // True when the period just consumed was also the end of a sentence: end of text, or a capital after a space.
    private static bool EndsSentence(string source, int after)
    {
        var i = after;
        while (i < source.Length && source[i] is ' ' or '\t')
        {
            i++;
        }

        return i >= source.Length || source[i] is '\n' or '\r' || (i > after && char.IsUpper(source[i]));
    }

    private static string Tidy(string s, string original)
    {
        s = SpacesRegex().Replace(s, " ");
        s = SpaceBeforePunctuationRegex().Replace(s, "$1");
        if (original.Length > 0 && original[0] is not (' ' or '\t'))
        {
            s = s.TrimStart(' ');
        }

        if (original.Length > 0 && original[^1] is not (' ' or '\t'))
        {
            s = s.TrimEnd(' ');
        }

        return s;
    }

    /// <summary>A pattern built from the tables at start, so it cannot be source-generated: compiled once instead.</summary>
    private static Regex FromTable(string pattern, RegexOptions extra = RegexOptions.None) =>
        new(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled | extra);

    private static string Alternation(IEnumerable<string> keys) =>
        string.Join('|', keys.OrderByDescending(k => k.Length).Select(Regex.Escape));

    [GeneratedRegex(@"(?<=[A-Za-z])\(s\)", RegexOptions.CultureInvariant)]
    private static partial Regex OptionalPluralRegex();

    [GeneratedRegex(@"[ \t]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex SpacesRegex();

    [GeneratedRegex(@"(?<=\S)[ \t]+([,.!?;:])(?!\S)", RegexOptions.CultureInvariant)]
    private static partial Regex SpaceBeforePunctuationRegex();
}
