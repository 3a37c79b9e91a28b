using System.Globalization;
using System.Text.RegularExpressions;
using static PatternTts.Service.Text.Normalization.NormalizationTables;

namespace PatternTts.Service.Text.Normalization;

/// <summary>Amounts of money in the currencies of the tables, with magnitudes ("$5.3 thousand", "€2bn") and "per" prices.</summary>
public sealed partial class TextNormalizer
{
    private static string SpeakMoney(string s)
    {
        s = PricePerRegex().Replace(s, " per ");
        s = MoneyRegex().Replace(s, SpeakAmount);
        s = PenceRegex().Replace(s, m => m.Groups["n"].Value == "1" ? "one penny" : $"{NumberWords.Cardinal(m.Groups["n"].Value)} pence");
        // Video heights are said in two halves: "ten eighty p", "seven twenty p".
        return VideoHeightRegex().Replace(s, m =>
        {
            var n = m.Groups["n"].Value;
            return $"{NumberWords.Cardinal(n[..^2])} {NumberWords.Cardinal(n[^2..])} p";
        });
    }

    [GeneratedRegex(@"(?<![\w.])(?<n>144|240|360|480|720|1080|1440|2160|4320)p\b", RegexOptions.CultureInvariant)]
    private static partial Regex VideoHeightRegex();

    // "50p" is pence; "720p" and "1080p" are video heights, left to the numbers.
    [GeneratedRegex(@"(?<![\w.])(?!(?:144|240|360|480|720|1080|1440|2160|4320)p)(?<n>\d{1,3})p\b", RegexOptions.CultureInvariant)]
    private static partial Regex PenceRegex();

    private static string SpeakAmount(Match m)
    {
        var currency = Currencies[m.Groups["cur"].Value[0]];
        var sign = m.Groups["sign"].Success ? "minus " : "";
        var integer = m.Groups["int"].Value;
        var fraction = m.Groups["frac"].Value;
        var magnitude = m.Groups["mag"].Value.Trim();

        if (magnitude.Length > 0)
        {
            var scale = Magnitudes.TryGetValue(magnitude, out var word) ? word : magnitude.ToLowerInvariant();
            var number = NumberWords.Number(fraction.Length > 0 ? $"{integer}.{fraction}" : integer);
            return $"{sign}{number} {scale} {currency.Main.Plural}";
        }

        if (fraction.Length == 0)
        {
            return $"{sign}{NumberWords.Cardinal(integer)} {currency.Main.For(integer == "1")}";
        }

        long whole = 0;
        if (currency.Minor is null || fraction.Length > 2
            || (integer.Length > 0 && !long.TryParse(integer.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture, out whole)))
        {
            return $"{sign}{NumberWords.Number($"{integer}.{fraction}")} {currency.Main.Plural}";
        }

        var minor = int.Parse(fraction.PadRight(2, '0'), CultureInfo.InvariantCulture);
        var mainWords = $"{NumberWords.Cardinal(whole)} {currency.Main.For(whole == 1)}";
        var minorWords = $"{NumberWords.Cardinal(minor)} {currency.Minor.For(minor == 1)}";
        if (minor == 0)
        {
            return sign + mainWords;
        }

        return whole == 0 ? sign + minorWords : $"{sign}{mainWords} and {minorWords}";
    }

    [GeneratedRegex(@"(?<![\w.])(?<sign>-)?(?<cur>[" + CurrencySymbols + @"])[ \t]?(?:(?<int>" + IntegerPattern + @")(?:\.(?<frac>\d+))?|\.(?<frac>\d+))(?<mag>[ \t](?i:hundred|thousand|million|billion|trillion)\b|(?:bn|tn|mn|[kKmMbBtT])\b)?(?![\w]|[.,]\d)", RegexOptions.CultureInvariant)]
    private static partial Regex MoneyRegex();

    [GeneratedRegex(@"(?<=[" + CurrencySymbols + @"][\d.,]*\d(?:[kKmMbB]|bn)?)/(?=[A-Za-z])", RegexOptions.CultureInvariant)]
    private static partial Regex PricePerRegex();
}
