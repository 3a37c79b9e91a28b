using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PatternTts.Service.Text.Normalization;

/// <summary>Clock times ("10:35 pm") and hours with a meridiem ("7am").</summary>
public sealed partial class TextNormalizer
{
    private static string SpeakTimes(string s)
    {
        // Each pass reads the text as it was before it, to tell a sentence-ending "p.m." from one mid-sentence.
        var source = s;
        s = ClockTimeRegex().Replace(s, m => SpeakClockTime(m, source));
        source = s;
        return HourTimeRegex().Replace(s, m => SpeakHourTime(m, source));
    }

    private static string SpeakClockTime(Match m, string source)
    {
        var hour = int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture);
        var minute = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
        var meridiem = Meridiem(m, source);
        if (hour == 0 && minute == 0 && meridiem.Length == 0 && !m.Groups["s"].Success)
        {
            return "midnight";
        }

        var words = new StringBuilder(hour == 0 && meridiem.Length == 0 ? "zero" : NumberWords.Cardinal(hour));
        if (minute == 0)
        {
            if (meridiem.Length == 0 && !m.Groups["s"].Success)
            {
                words.Append(hour > 12 ? " hundred" : " o'clock");
            }
        }
        else
        {
            words.Append(minute < 10 ? " oh " : " ").Append(NumberWords.Cardinal(minute));
        }

        if (m.Groups["s"].Success)
        {
            var second = int.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture);
            words.Append(" and ").Append(NumberWords.Cardinal(second)).Append(second == 1 ? " second" : " seconds");
        }

        return words.Append(meridiem).ToString();
    }

    private static string SpeakHourTime(Match m, string source) =>
        NumberWords.Cardinal(int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture)) + Meridiem(m, source);

    // espeak reads upper-case "AM"/"PM" as letters; lower-case "am" becomes the verb.
    private static string Meridiem(Match m, string source)
    {
        if (!m.Groups["ap"].Success)
        {
            return "";
        }

        var spoken = char.ToUpperInvariant(m.Groups["ap"].Value[0]) == 'A' ? " AM" : " PM";
        return m.Groups["dot"].Success && EndsSentence(source, m.Index + m.Length) ? spoken + "." : spoken;
    }

    [GeneratedRegex(@"(?<![\d:.])(?<h>[01]?\d|2[0-3]):(?<m>[0-5]\d)(?::(?<s>[0-5]\d))?(?![\d:]|\.\d)(?:[ \t]?(?<ap>[AaPp])(?:\.[Mm](?<dot>\.)?|[Mm])(?![A-Za-z]))?", RegexOptions.CultureInvariant)]
    private static partial Regex ClockTimeRegex();

    [GeneratedRegex(@"(?<![\w.:" + CurrencySymbols + @"])(?<h>1[0-2]|0?[1-9])[ \t]?(?<ap>[AaPp])(?:\.[Mm](?<dot>\.)?|[Mm])(?![A-Za-z])", RegexOptions.CultureInvariant)]
    private static partial Regex HourTimeRegex();
}
