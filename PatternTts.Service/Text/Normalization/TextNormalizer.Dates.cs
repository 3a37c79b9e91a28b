using System.Globalization;
using System.Text.RegularExpressions;
using static PatternTts.Service.Text.Normalization.NormalizationTables;

namespace PatternTts.Service.Text.Normalization;

/// <summary>Dates (ISO, US, "March 5th", "5 March 2024"), month-year, and decades ("the 1990s").</summary>
public sealed partial class TextNormalizer
{
    private static string SpeakDates(string s)
    {
        s = IsoDateRegex().Replace(s, m => SpeakDate(m.Groups["y"].Value, m.Groups["m"].Value, m.Groups["d"].Value));
        s = UsDateRegex().Replace(s, m => SpeakDate(m.Groups["y"].Value, m.Groups["m"].Value, m.Groups["d"].Value));
        s = MonthDayRegex().Replace(s, SpeakMonthDay);
        var source = s;
        s = DayMonthRegex().Replace(s, m => SpeakDayMonth(m, source));
        return MonthYearRegex().Replace(s, m => FullMonth(m.Groups["month"].Value) + " ");
    }

    private const string MonthPattern =
        @"(?<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";

    [GeneratedRegex(@"\b" + MonthPattern + @"(?:\.|\b)[ \t]+(?<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b(?:,?[ \t]+(?<year>\d{4})\b)?(?![:.,]?\d)", RegexOptions.CultureInvariant)]
    private static partial Regex MonthDayRegex();

    [GeneratedRegex(@"\b(?<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(?<month>January|February|March|April|May|June|July|August|September|October|November|December)\b(?:,?[ \t]+(?<year>\d{4})\b)?", RegexOptions.CultureInvariant)]
    private static partial Regex DayMonthRegex();

    private static string SpeakDate(string year, string month, string day)
    {
        var monthName = Months[int.Parse(month, CultureInfo.InvariantCulture) - 1];
        return $"{monthName} {NumberWords.Ordinal(int.Parse(day, CultureInfo.InvariantCulture))}, {NumberWords.Year(int.Parse(year, CultureInfo.InvariantCulture))}";
    }

    private static string SpeakMonthDay(Match m)
    {
        var month = FullMonth(m.Groups["month"].Value);
        var spoken = $"{month} {NumberWords.Ordinal(int.Parse(m.Groups["day"].Value, CultureInfo.InvariantCulture))}";
        return m.Groups["year"].Success
            ? $"{spoken}, {NumberWords.Year(int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture))}"
            : spoken;
    }

    private static string SpeakDayMonth(Match m, string source)
    {
        var article = ArticleBeforeRegex().IsMatch(source.AsSpan(0, m.Index)) ? "" : "the ";
        var spoken = $"{article}{NumberWords.Ordinal(int.Parse(m.Groups["day"].Value, CultureInfo.InvariantCulture))} of {m.Groups["month"].Value}";
        return m.Groups["year"].Success
            ? $"{spoken}, {NumberWords.Year(int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture))}"
            : spoken;
    }

    private static string FullMonth(string written) =>
        Months.First(month => month.StartsWith(written[..3], StringComparison.Ordinal));

    private static string SpeakDecade(Match m)
    {
        var digits = m.Groups["d"].Value;
        var value = int.Parse(digits, CultureInfo.InvariantCulture);
        return NumberWords.Plural(digits.Length == 4 ? NumberWords.Year(value) : NumberWords.Cardinal(value));
    }

    [GeneratedRegex(@"\b(?<y>\d{4})-(?<m>0?[1-9]|1[0-2])-(?<d>0?[1-9]|[12]\d|3[01])\b(?!-)", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDateRegex();

    [GeneratedRegex(@"(?<![\w/])(?<m>0?[1-9]|1[0-2])/(?<d>0?[1-9]|[12]\d|3[01])/(?<y>\d{4})\b(?!/)", RegexOptions.CultureInvariant)]
    private static partial Regex UsDateRegex();

    [GeneratedRegex(@"\b(?<month>Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?[ \t]+(?=\d{4}\b)", RegexOptions.CultureInvariant)]
    private static partial Regex MonthYearRegex();

    [GeneratedRegex(@"(?<![\w." + CurrencySymbols + @"])'?(?<d>1[1-9]\d0|20\d0|[1-9]0)'?s\b", RegexOptions.CultureInvariant)]
    private static partial Regex DecadeRegex();

    [GeneratedRegex(@"\bthe[ \t]+$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ArticleBeforeRegex();
}
