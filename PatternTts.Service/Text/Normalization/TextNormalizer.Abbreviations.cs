using System.Text.RegularExpressions;
using static PatternTts.Service.Text.Normalization.NormalizationTables;

namespace PatternTts.Service.Text.Normalization;

/// <summary>Titles, street types, abbreviations and apostrophe-less contractions.</summary>
public sealed partial class TextNormalizer
{
    private static string SpeakAbbreviations(string s) =>
        ContractionRegex.Replace(SpeakLetterAbbreviations(ExpandAbbreviations(s)), SpeakContraction);

    /// <summary>
    /// "U.S." is read as letters without the stops the model would pause on, and ends a sentence only when a capital
    /// or the end of the text follows. Two letters stay joined ("US", which espeak spells with misaki's stress);
    /// three or more are spaced ("N Y C"), which espeak would otherwise read as one word.
    /// </summary>
    private static string SpeakLetterAbbreviations(string s)
    {
        var source = s;
        return LetterAbbreviationRegex().Replace(s, m =>
        {
            var letters = m.Groups["l"].Captures.Select(c => char.ToUpperInvariant(c.Value[0]).ToString()).ToArray();
            var spoken = letters.Length == 2 ? string.Concat(letters) : string.Join(' ', letters);
            return m.Groups["dot"].Success && EndsSentence(source, m.Index + m.Length) ? spoken + "." : spoken;
        });
    }

    // The five regexes below are built from the tables, so they cannot be source-generated.
    private static readonly Regex TitleRegex = FromTable(
        $@"\b(?:(?<abbr>Mrs|Mr|Ms|Mx)\.|(?:(?<abbr>{Alternation(Titles.Keys)})\.|(?<abbr>{Alternation(TitlesWithoutPeriod)})\b)(?=[ \t]+[A-Z]))");

    // A house number before the street name makes the suffix a street type even when a capitalised word follows.
    private static readonly Regex AddressStreetRegex = FromTable(
        $@"\b(?<abbr>{Alternation(StreetTypes.Keys)})\b(?<=\b\d+(?:st|nd|rd|th)?[ \t]+(?:[A-Z][a-z]+[ \t]+)+\k<abbr>)(?<dot>\.)?");

    private static readonly Regex StreetRegex = FromTable(
        $@"\b(?<abbr>{Alternation(StreetTypes.Keys)})\b(?<=\b(?:[A-Z][a-z]+|\d+(?:st|nd|rd|th))[ \t]+\k<abbr>)(?<dot>\.)?(?![ \t]+[A-Z][a-z])");

    private static readonly Regex AbbreviationRegex = FromTable(
        $@"(?<![\w.])(?<abbr>{Alternation(Abbreviations.Keys)})(?![\w])(?<dot>\.)?(?!\w)");

    private static readonly Regex ContractionRegex = FromTable(
        $@"\b(?<word>{Alternation(Contractions.Keys)})\b(?!')", RegexOptions.IgnoreCase);

    private static string ExpandAbbreviations(string s)
    {
        s = NumberAbbreviationRegex().Replace(s, "number ");
        s = ExtensionRegex().Replace(s, "extension ");
        s = WithRegex().Replace(s, m => m.Groups["o"].Success ? "without" : "with");

        var source = s;
        s = AddressStreetRegex.Replace(s, m => Expand(StreetTypes[m.Groups["abbr"].Value], m, source));
        s = TitleRegex.Replace(s, m => Titles[m.Groups["abbr"].Value]);
        source = s;
        s = StreetRegex.Replace(s, m => Expand(StreetTypes[m.Groups["abbr"].Value], m, source));
        source = s;
        return AbbreviationRegex.Replace(s, m => Expand(Abbreviations[m.Groups["abbr"].Value], m, source));

        static string Expand(string expansion, Match m, string source) =>
            m.Groups["dot"].Success && EndsSentence(source, m.Index + m.Length) ? expansion + "." : expansion;
    }

    private static string SpeakContraction(Match m)
    {
        var written = m.Value;
        var spoken = Contractions[written];
        if (spoken.StartsWith("I'", StringComparison.Ordinal))
        {
            // "IM" in capitals is more likely "instant message" than "I'm".
            return written.Length > 1 && written.All(char.IsUpper) ? written : spoken;
        }

        if (written.Length > 1 && written.All(char.IsUpper))
        {
            return spoken.ToUpperInvariant();
        }

        return char.IsUpper(written[0]) ? char.ToUpperInvariant(spoken[0]) + spoken[1..] : spoken;
    }

    // Two or more single letters, each followed by a period but the last (whose period is optional): U.S., a.k.a, D.C.
    [GeneratedRegex(@"(?<![\w.])(?:(?<l>[A-Za-z])\.){1,}(?<l>[A-Za-z])(?<dot>\.)?(?![\w.])", RegexOptions.CultureInvariant)]
    private static partial Regex LetterAbbreviationRegex();

    [GeneratedRegex(@"(?<![\w.])No\.[ \t]?(?=\d)", RegexOptions.CultureInvariant)]
    private static partial Regex NumberAbbreviationRegex();

    [GeneratedRegex(@"(?<![\w.])[Ee]xt\.?[ \t]?(?=\d)", RegexOptions.CultureInvariant)]
    private static partial Regex ExtensionRegex();

    [GeneratedRegex(@"(?<![\w/])w/(?<o>o)?(?=[ \t])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex WithRegex();
}
