using System.Globalization;
using System.Text.RegularExpressions;
using static PatternTts.Service.Text.Normalization.NormalizationTables;

namespace PatternTts.Service.Text.Normalization;

/// <summary>Numbers in every written form left once the passes before have run: ranges, units, versions, ratios, ordinals, fractions, percentages, magnitudes and plain numbers.</summary>
public sealed partial class TextNormalizer
{
    /// <summary>"3-5", "10 - 15" and "10 – 20" as "to", once the dates (whose dashes are not ranges) are read.</summary>
    private static string SpeakRanges(string s) => RangeRegex().Replace(s, " to ");

    /// <summary>
    /// Heights and lengths in feet and inches (5'7", 6' tall, 12" pizza only with the feet), then quarter names
    /// ("Q3" as "Q three"), then years 1000-1999 after a word that introduces a year ("in 1492"), which the plain
    /// number pass would read as a quantity.
    /// </summary>
    private static string SpeakMeasuresAndYears(string s)
    {
        s = FeetInchesRegex().Replace(s, m =>
        {
            var feet = m.Groups["ft"].Value;
            var spoken = $"{NumberWords.Cardinal(feet)} {(feet == "1" ? "foot" : "feet")}";
            return m.Groups["in"].Success
                ? $"{spoken} {NumberWords.Cardinal(m.Groups["in"].Value)} {(m.Groups["in"].Value == "1" ? "inch" : "inches")}"
                : spoken;
        });
        s = QuarterRegex().Replace(s, m => $"Q {NumberWords.Cardinal(m.Groups["q"].Value)}");
        return YearInContextRegex().Replace(s, m => NumberWords.Year(int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture)));
    }

    // Only a single quote after the feet (a closing quote after inches could be prose), then a space, punctuation or the end.
    [GeneratedRegex(@"(?<![\w.'])(?<ft>\d{1,2})'(?:(?<in>\d{1,2})(?:""|''|″))?(?=[\s,.;:!?)]|$)", RegexOptions.CultureInvariant)]
    private static partial Regex FeetInchesRegex();

    [GeneratedRegex(@"\bQ(?<q>[1-4])\b", RegexOptions.CultureInvariant)]
    private static partial Regex QuarterRegex();

    // Followed by a counted noun ("in 1200 cases") it is a quantity; by a capital, punctuation or a function word, a year.
    [GeneratedRegex(@"(?<=\b(?:[Ii]n|[Ss]ince|[Ff]rom|[Uu]ntil|[Tt]ill|[Bb]efore|[Aa]fter|[Dd]uring|[Aa]round|[Cc]irca|[Yy]ear|AD|[Ss]ummer|[Ww]inter|[Ss]pring|[Aa]utumn)[ \t]+)(?<y>1\d{3})(?![\w,.]\d|\d|[ \t]*%|[ \t]+(?!(?:and|or|to|the|a|an|in|on|at|was|were|is|we|he|she|it|they|you|when|there|this|that|with|for|as|by|his|her|their|its)\b)[a-z])", RegexOptions.CultureInvariant)]
    private static partial Regex YearInContextRegex();

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
        s = LetterSuffixRegex().Replace(s, m => $"{NumberWords.Number(m.Groups["n"].Value)} {m.Groups["l"].Value}");
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

    [GeneratedRegex(@"(?<=\d)(?:-|[ \t]+-[ \t]+|[ \t]?–[ \t]?)(?=[" + CurrencySymbols + @"]?\d)", RegexOptions.CultureInvariant)]
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

    // A magnitude letter after a plain number (money has its own): "1.6k", "2.5M", "3bn", and "5M users" (a count of
    // something). An integer with a capital letter and nothing counted after it is a label: "4K", "Apartment 4B".
    [GeneratedRegex(@"(?<![\w.])(?<n>-?(?:" + DecimalPattern + @"))(?:(?<mag>bn|k)|(?<mag>[KMB])(?<=\.\d+[KMB])|(?<mag>[MB])(?=[ \t]+[a-z]))\b", RegexOptions.CultureInvariant)]
    private static partial Regex MagnitudeSuffixRegex();

    [GeneratedRegex(@"(?<![\w.])(?<n>\d+)(?<l>[A-Z])\b", RegexOptions.CultureInvariant)]
    private static partial Regex LetterSuffixRegex();

    [GeneratedRegex(@"(?<![\w.])(?:-(?=\.?\d))?(?:" + NumberPattern + @")(?!\w|\.\d|,\d{3}(?!\d))", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumberRegex();
}
