using System.Globalization;
using System.Text.RegularExpressions;
using static PatternTts.Service.Text.Normalization.NormalizationTables;

namespace PatternTts.Service.Text.Normalization;

/// <summary>Numbers in every written form left once the passes before have run: ranges, units, versions, ratios, ordinals, fractions, percentages, magnitudes and plain numbers.</summary>
public sealed partial class TextNormalizer
{
    /// <summary>"3-5" and "10 – 20" as "to", once the dates (whose dashes are not ranges) are read.</summary>
    private static string SpeakRanges(string s) => RangeRegex().Replace(s, " to ");

    /// <summary>Decades first, so "1990s" is not read as a number with a unit "s".</summary>
    private static string SpeakUnits(string s) => UnitRegex.Replace(DecadeRegex().Replace(s, SpeakDecade), SpeakUnit);

    // Built from the table of units, so it cannot be source-generated.
    private static readonly Regex UnitRegex = FromTable(
        $@"(?<![\w.{CurrencySymbols}])(?<num>-?(?:{NumberPattern}))[ \t]?(?<unit>{Alternation(Units.Keys)})(?![\w/°])");

    private static string SpeakUnit(Match m)
    {
        var number = m.Groups["num"].Value;
        var unit = Units[m.Groups["unit"].Value];
        return $"{NumberWords.Number(number)} {unit.For(NumberWords.IsOne(number))}";
    }

    private static string SpeakNumbers(string s)
    {
        s = PerRegex().Replace(s, " per ");
        // Decades again: SpeakUnits reads them only when unit normalization is on.
        s = DecadeRegex().Replace(s, SpeakDecade);
        s = VersionRegex().Replace(s, m =>
            (m.Groups["prefix"].Success ? "version " : "") + string.Join(" point ", m.Groups["v"].Value.Split('.').Select(NumberWords.Cardinal)));
        s = RatioRegex().Replace(s, " to ");
        s = TimesRegex().Replace(s, " times ");
        s = MultiplierRegex().Replace(s, m => NumberWords.Number(m.Groups["n"].Value) + " times");
        s = OutOfRegex().Replace(s, m => $"{NumberWords.Number(m.Groups["a"].Value)} out of {NumberWords.Number(m.Groups["b"].Value)}");
        s = OrdinalRegex().Replace(s, m =>
            long.TryParse(m.Groups["n"].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture, out var n)
                ? NumberWords.Ordinal(n)
                : m.Value);
        s = FractionRegex().Replace(s, SpeakFraction);
        s = PercentRegex().Replace(s, m => NumberWords.Number(m.Groups["n"].Value) + " percent");
        s = HashNumberRegex().Replace(s, "number ");
        s = MagnitudeSuffixRegex().Replace(s, m => $"{NumberWords.Number(m.Groups["n"].Value)} {Magnitudes[m.Groups["mag"].Value]}");
        return PlainNumberRegex().Replace(s, SpeakPlainNumber);
    }

    private static string SpeakFraction(Match m)
    {
        if (!long.TryParse(m.Groups["n"].Value, CultureInfo.InvariantCulture, out var numerator)
            || !long.TryParse(m.Groups["d"].Value, CultureInfo.InvariantCulture, out var denominator))
        {
            return m.Value;
        }

        string fraction;
        if (numerator == 24 && denominator == 7)
        {
            fraction = "twenty-four seven";
        }
        else if (denominator < 2 || denominator > 100 || numerator >= denominator)
        {
            fraction = $"{NumberWords.Cardinal(numerator)} over {NumberWords.Cardinal(denominator)}";
        }
        else
        {
            var one = numerator == 1;
            var name = denominator switch
            {
                2 => one ? "half" : "halves",
                4 => one ? "quarter" : "quarters",
                _ => OrdinalDenominator(denominator) + (one ? "" : "s"),
            };
            fraction = $"{NumberWords.Cardinal(numerator)} {name}";
        }

        return m.Groups["w"].Success ? $"{NumberWords.Cardinal(m.Groups["w"].Value)} and {fraction}" : fraction;
    }

    // "98/100" is "ninety-eight hundredths", not "ninety-eight one hundredths".
    private static string OrdinalDenominator(long denominator)
    {
        var ordinal = NumberWords.Ordinal(denominator);
        return denominator is 100 or 1000 ? ordinal["one ".Length..] : ordinal;
    }

    private static string SpeakPlainNumber(Match m)
    {
        var written = m.Value;
        if (written.Length == 4 && written.All(char.IsAsciiDigit))
        {
            var value = int.Parse(written, CultureInfo.InvariantCulture);
            if (value is >= 1100 and <= 2099 && (value >= 1500 || value % 100 == 0))
            {
                return NumberWords.Year(value);
            }
        }

        // Emergency numbers are said digit by digit.
        return written == "911" ? "nine one one" : NumberWords.Number(written);
    }

    [GeneratedRegex(@"(?<=\d)(?:-|[ \t]?–[ \t]?)(?=[" + CurrencySymbols + @"]?\d)", RegexOptions.CultureInvariant)]
    private static partial Regex RangeRegex();

    [GeneratedRegex(@"(?<![\w.])(?:(?<prefix>v)(?<v>\d+(?:\.\d+)+)|(?<v>\d+\.\d+(?:\.\d+)+))(?![\w]|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex VersionRegex();

    [GeneratedRegex(@"(?<=\d):(?=\d)", RegexOptions.CultureInvariant)]
    private static partial Regex RatioRegex();

    [GeneratedRegex(@"(?<=\d)(?:[ \t][x×][ \t]|[ \t]?×[ \t]?)(?=\d)", RegexOptions.CultureInvariant)]
    private static partial Regex TimesRegex();

    [GeneratedRegex(@"(?<![\w.])(?<n>\d+(?:\.\d+)?)[xX](?!\w)", RegexOptions.CultureInvariant)]
    private static partial Regex MultiplierRegex();

    [GeneratedRegex(@"(?<![\w./])(?<a>\d+\.\d+)/(?<b>\d+(?:\.\d+)?)(?![\w/]|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex OutOfRegex();

    [GeneratedRegex(@"(?<![\w.])(?<n>" + IntegerPattern + @")(?:st|nd|rd|th|ST|ND|RD|TH)\b", RegexOptions.CultureInvariant)]
    private static partial Regex OrdinalRegex();

    [GeneratedRegex(@"(?<![\w./])(?:(?<w>\d+)[ \t]+)?(?<n>\d+)/(?<d>\d+)(?![\w/]|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex FractionRegex();

    [GeneratedRegex(@"(?<![\w.])(?<n>[-+]?(?:" + NumberPattern + @"))[ \t]?%", RegexOptions.CultureInvariant)]
    private static partial Regex PercentRegex();

    [GeneratedRegex(@"(?<![\w&])#(?=\d)", RegexOptions.CultureInvariant)]
    private static partial Regex HashNumberRegex();

    [GeneratedRegex(@"(?<![\w.])(?<n>-?(?:" + DecimalPattern + @"))(?<mag>bn|[kKMB])\b", RegexOptions.CultureInvariant)]
    private static partial Regex MagnitudeSuffixRegex();

    [GeneratedRegex(@"(?<![\w.])(?:-(?=\.?\d))?(?:" + NumberPattern + @")(?!\w|\.\d|,\d{3}(?!\d))", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumberRegex();
}
