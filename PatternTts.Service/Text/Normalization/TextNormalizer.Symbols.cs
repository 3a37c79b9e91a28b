using System.Text;
using System.Text.RegularExpressions;
using static PatternTts.Service.Text.Normalization.NormalizationTables;

namespace PatternTts.Service.Text.Normalization;

/// <summary>Symbols left at the end, read as words ("and/or", "C#", "#tag", "<", "km/h").</summary>
public sealed partial class TextNormalizer
{
    /// <summary>
    /// A hyphen or en dash set between words with spaces ("Wait - what?"), a double hyphen, or an en dash joining
    /// two words is a dash: an em dash, which the model pauses on as misaki writes it.
    /// </summary>
    private static string SpeakDashes(string s) => DashRegex().Replace(s, " — ");

    [GeneratedRegex(@"(?<=\p{L}[,;:]?)(?:[ \t]+(?:--?|–)[ \t]+|--|–)(?=\p{L})", RegexOptions.CultureInvariant)]
    private static partial Regex DashRegex();

    private static string ReplaceSymbols(string s)
    {
        s = AndOrRegex().Replace(s, "and or");
        s = SharpRegex().Replace(s, "${lang} sharp");
        s = HashtagRegex().Replace(s, "hashtag ");
        s = ComparisonRegex().Replace(s, m => m.Value == "<" ? "less than" : "greater than");
        var sb = new StringBuilder(s.Length + 16);
        foreach (var c in s)
        {
            if (Symbols.TryGetValue(c, out var word))
            {
                sb.Append(' ').Append(word).Append(' ');
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"\b(?<lang>[CF])#(?!\w)", RegexOptions.CultureInvariant)]
    private static partial Regex SharpRegex();

    // Only a free-standing < or > compares; around a word they are brackets ("<https://…>", "<b>").
    [GeneratedRegex(@"(?<=^|\s)[<>](?=\s)", RegexOptions.CultureInvariant)]
    private static partial Regex ComparisonRegex();

    [GeneratedRegex(@"(?<![\w&])#(?=[A-Za-z])", RegexOptions.CultureInvariant)]
    private static partial Regex HashtagRegex();

    // "km/h" after a number is "per", not "slash".
    [GeneratedRegex(@"(?<=\d[ \t]?[A-Za-z°]{1,3})/(?=[A-Za-z]{1,3}\b)", RegexOptions.CultureInvariant)]
    private static partial Regex PerRegex();

    [GeneratedRegex(@"\band/or\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AndOrRegex();
}
