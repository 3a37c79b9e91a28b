using System.Text.RegularExpressions;
using static PatternTts.Service.Text.Normalization.NormalizationTables;

namespace PatternTts.Service.Text.Normalization;

/// <summary>
/// Roman numerals where a reader expects them: a number after the words that count parts and wars ("Chapter IV",
/// "World War II", "Part III"), an ordinal after a monarch's or pope's name ("Henry VIII" → "Henry the eighth").
/// A numeral anywhere else (the pronoun I, "MIX", "CV") is left as written.
/// </summary>
public sealed partial class TextNormalizer
{
    private const string RomanPattern = @"(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})";

    private static string SpeakRomanNumerals(string s)
    {
        s = CountedRomanRegex().Replace(s, m => $"{m.Groups["w"].Value} {NumberWords.Cardinal(Roman(m.Groups["r"].Value))}");
        var source = s;
        return RegnalRomanRegex.Replace(s, m =>
            // "Mary I love you" is the pronoun: a lone I is a numeral only before punctuation, the end, "of" or "and".
            m.Groups["r"].Value == "I" && !LoneINumeralFollowerRegex().IsMatch(source[(m.Index + m.Length)..])
                ? m.Value
                : $"{m.Groups["name"].Value} the {NumberWords.Ordinal(Roman(m.Groups["r"].Value))}");
    }

    private static int Roman(string numeral)
    {
        var total = 0;
        for (var i = 0; i < numeral.Length; i++)
        {
            var value = RomanValue(numeral[i]);
            total += i + 1 < numeral.Length && RomanValue(numeral[i + 1]) > value ? -value : value;
        }

        return total;
    }

    private static int RomanValue(char c) => c switch
    {
        'I' => 1, 'V' => 5, 'X' => 10, 'L' => 50, 'C' => 100, 'D' => 500, 'M' => 1000, _ => 0,
    };

    // The single "I" counts too here ("World War I", "Part I"): after these words it is never the pronoun.
    [GeneratedRegex(@"\b(?<w>Chapter|Part|Book|Volume|Vol\.|Act|Scene|Section|Article|Phase|Stage|Level|Round|Season|Episode|Title|Appendix|World War|Super Bowl|Rocky|Star Wars Episode)[ \t]+(?<r>" + RomanPattern + @")\b(?!['’]\w)", RegexOptions.CultureInvariant)]
    private static partial Regex CountedRomanRegex();

    [GeneratedRegex(@"^(?:[ \t]*(?:[,.;:!?)]|$)|[ \t]+(?:of|and)\b)", RegexOptions.CultureInvariant)]
    private static partial Regex LoneINumeralFollowerRegex();

    // Built from the table of regnal names, so it cannot be source-generated.
    private static readonly Regex RegnalRomanRegex = FromTable(
        $@"\b(?<name>{Alternation(RegnalNames)})[ \t]+(?<r>{RomanPattern})\b(?!['’]\w)");
}
