using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using static PatternTts.Service.Text.Normalization.NormalizationTables;

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
    private const string Num = @"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+";

    private static readonly Regex UnitRegex = new(
        $@"(?<![\w.$€£¥₹])(?<num>-?(?:{Num}))[ \t]?(?<unit>{Alternation(Units.Keys)})(?![\w/°])",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static readonly Regex TitleRegex = new(
        $@"\b(?:(?<abbr>Mrs|Mr|Ms|Mx)\.|(?:(?<abbr>{Alternation(Titles.Keys)})\.|(?<abbr>{Alternation(TitlesWithoutPeriod)})\b)(?=[ \t]+[A-Z]))",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    // A house number before the street name makes the suffix a street type even when a capitalised word follows.
    private static readonly Regex AddressStreetRegex = new(
        $@"\b(?<abbr>{Alternation(StreetTypes.Keys)})\b(?<=\b\d+(?:st|nd|rd|th)?[ \t]+(?:[A-Z][a-z]+[ \t]+)+\k<abbr>)(?<dot>\.)?",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static readonly Regex StreetRegex = new(
        $@"\b(?<abbr>{Alternation(StreetTypes.Keys)})\b(?<=\b(?:[A-Z][a-z]+|\d+(?:st|nd|rd|th))[ \t]+\k<abbr>)(?<dot>\.)?(?![ \t]+[A-Z][a-z])",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static readonly Regex AbbreviationRegex = new(
        $@"(?<![\w.])(?<abbr>{Alternation(Abbreviations.Keys)})(?![\w])(?<dot>\.)?(?!\w)",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static readonly Regex ContractionRegex = new(
        $@"\b(?<word>{Alternation(Contractions.Keys)})\b(?!')",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Compiled);

    private static readonly Regex BareHostRegex = new(
        $@"(?<![\w.@/-])(?<host>(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+(?:{string.Join('|', TopLevelDomains)}))(?![\w-]|\.\w)(?<rest>:\d{{1,5}}(?!\d)|(?::\d{{1,5}})?/[^\s<>""]*)?",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static readonly string MonthPattern =
        @"(?<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";

    private static readonly Regex MonthDayRegex = new(
        $@"\b{MonthPattern}(?:\.|\b)[ \t]+(?<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b(?:,?[ \t]+(?<year>\d{{4}})\b)?(?![:.,]?\d)",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static readonly Regex DayMonthRegex = new(
        @"\b(?<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(?<month>January|February|March|April|May|June|July|August|September|October|November|December)\b(?:,?[ \t]+(?<year>\d{4})\b)?",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

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

        if (options.EmailNormalization)
        {
            s = EmailRegex().Replace(s, m => SpeakEmail(m.Value));
        }

        if (options.UrlNormalization)
        {
            s = SchemeUrlRegex().Replace(s, SpeakUrlMatch);
            s = IpAddressRegex().Replace(s, m => SpeakHostAndRest(m.Groups["ip"].Value, m.Groups["port"].Value));
            s = BareHostRegex.Replace(s, m => SpeakHostAndRest(m.Groups["host"].Value, m.Groups["rest"].Value));
            s = LocalhostRegex().Replace(s, m => SpeakHostAndRest("localhost", m.Groups["rest"].Value));
        }

        if (options.PhoneNormalization)
        {
            s = NanpPhoneRegex().Replace(s, SpeakNanpPhone);
            s = InternationalPhoneRegex().Replace(s, SpeakInternationalPhone);
            s = LocalPhoneRegex().Replace(s, m => $"{NumberWords.Digits(m.Groups["exchange"].Value)}, {NumberWords.Digits(m.Groups["line"].Value)}");
        }

        if (options.OptionalPluralizationNormalization)
        {
            s = OptionalPluralRegex().Replace(s, "s");
        }

        s = IsoDateRegex().Replace(s, m => SpeakDate(m.Groups["y"].Value, m.Groups["m"].Value, m.Groups["d"].Value));
        s = UsDateRegex().Replace(s, m => SpeakDate(m.Groups["y"].Value, m.Groups["m"].Value, m.Groups["d"].Value));
        s = MonthDayRegex.Replace(s, SpeakMonthDay);
        var dateSource = s;
        s = DayMonthRegex.Replace(s, m => SpeakDayMonth(m, dateSource));
        s = MonthYearRegex().Replace(s, m => FullMonth(m.Groups["month"].Value) + " ");
        s = RangeRegex().Replace(s, " to ");

        var timeSource = s;
        s = ClockTimeRegex().Replace(s, m => SpeakClockTime(m, timeSource));
        timeSource = s;
        s = HourTimeRegex().Replace(s, m => SpeakHourTime(m, timeSource));

        if (options.UnitNormalization)
        {
            s = DecadeRegex().Replace(s, SpeakDecade);
            s = UnitRegex.Replace(s, SpeakUnit);
        }

        s = ExpandAbbreviations(s);
        s = ContractionRegex.Replace(s, SpeakContraction);
        s = PricePerRegex().Replace(s, " per ");
        s = MoneyRegex().Replace(s, SpeakMoney);
        s = SpeakNumbers(s);

        if (options.ReplaceRemainingSymbols)
        {
            s = ReplaceSymbols(s);
        }

        return Tidy(s, text);
    }

    private static string SpeakEmail(string email)
    {
        var at = email.LastIndexOf('@');
        return $"{SpeakAddressPart(email[..at])} at {SpeakHost(email[(at + 1)..])}";
    }

    private static string SpeakUrlMatch(Match m)
    {
        var url = m.Value;
        var trailing = TrailingPunctuationRegex().Match(url);
        var keep = url[..trailing.Index];
        var rest = keep[(keep.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var userInfo = rest.IndexOf('@');
        var slash = rest.IndexOfAny(['/', '?', '#']);
        if (userInfo >= 0 && (slash < 0 || userInfo < slash))
        {
            rest = rest[(userInfo + 1)..];
            slash = rest.IndexOfAny(['/', '?', '#']);
        }

        var authority = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "" : rest[slash..];
        var colon = authority.LastIndexOf(':');
        var host = colon < 0 ? authority : authority[..colon];
        var port = colon < 0 ? "" : authority[colon..];
        return SpeakHostAndRest(host, port + path) + trailing.Value;
    }

    // rest is ":port", "/path?query" or ":port/path".
    private static string SpeakHostAndRest(string host, string rest)
    {
        var sb = new StringBuilder(SpeakHost(host));
        if (rest.StartsWith(':'))
        {
            var end = rest.IndexOfAny(['/', '?', '#']);
            var port = end < 0 ? rest[1..] : rest[1..end];
            sb.Append(" colon ").Append(NumberWords.Digits(port));
            rest = end < 0 ? "" : rest[end..];
        }

        var trailing = TrailingPunctuationRegex().Match(rest);
        rest = rest[..trailing.Index].TrimEnd('/');
        if (rest.Length > 0)
        {
            sb.Append(' ').Append(SpeakAddressPart(rest));
        }

        return sb.Append(trailing.Value).ToString();
    }

    private static string SpeakHost(string host) =>
        string.Join(" dot ", host.Split('.').Select(label =>
            label.All(char.IsAsciiDigit) ? NumberWords.Digits(label) : label.Replace("-", " dash ", StringComparison.Ordinal)));

    // Paths, queries and the user part of emails: separators become words, digit runs become numbers.
    private static string SpeakAddressPart(string part)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (i < part.Length)
        {
            var c = part[i];
            if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < part.Length && char.IsAsciiDigit(part[i]))
                {
                    i++;
                }

                var digits = part[start..i];
                AppendWord(sb, digits.Length <= 4 && digits[0] != '0' ? NumberWords.Cardinal(digits) : NumberWords.Digits(digits));
                continue;
            }

            if (char.IsLetter(c))
            {
                var start = i;
                while (i < part.Length && char.IsLetter(part[i]))
                {
                    i++;
                }

                AppendWord(sb, part[start..i]);
                continue;
            }

            AppendWord(sb, c switch
            {
                '.' => "dot",
                '/' => "slash",
                '-' => "dash",
                '_' => "underscore",
                '?' => "question mark",
                '=' => "equals",
                '&' => "and",
                '%' => "percent",
                '#' => "hash",
                '+' => "plus",
                '~' => "tilde",
                ':' => "colon",
                '@' => "at",
                _ => "",
            });
            i++;
        }

        return sb.ToString();
    }

    private static void AppendWord(StringBuilder sb, string word)
    {
        if (word.Length == 0)
        {
            return;
        }

        if (sb.Length > 0)
        {
            sb.Append(' ');
        }

        sb.Append(word);
    }

    private static string SpeakNanpPhone(Match m)
    {
        var parts = new List<string>();
        var country = m.Groups["cc"].Value;
        if (country.Length > 0)
        {
            parts.Add(country.StartsWith('+') ? "plus one" : "one");
        }

        var area = m.Groups["area"].Value;
        parts.Add(area is "800" or "900" ? NumberWords.Cardinal(area) : NumberWords.Digits(area));
        parts.Add(NumberWords.Digits(m.Groups["exchange"].Value));
        parts.Add(NumberWords.Digits(m.Groups["line"].Value));
        return string.Join(", ", parts);
    }

    private static string SpeakInternationalPhone(Match m)
    {
        var groups = m.Groups["rest"].Value.Split([' ', '-', '.'], StringSplitOptions.RemoveEmptyEntries);
        return $"plus {NumberWords.Digits(m.Groups["cc"].Value)}, {string.Join(", ", groups.Select(NumberWords.Digits))}";
    }

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

    private static string SpeakDecade(Match m)
    {
        var digits = m.Groups["d"].Value;
        var value = int.Parse(digits, CultureInfo.InvariantCulture);
        return NumberWords.Plural(digits.Length == 4 ? NumberWords.Year(value) : NumberWords.Cardinal(value));
    }

    private static string SpeakUnit(Match m)
    {
        var number = m.Groups["num"].Value;
        var unit = Units[m.Groups["unit"].Value];
        return $"{NumberWords.Number(number)} {unit.For(NumberWords.IsOne(number))}";
    }

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

    private static string SpeakMoney(Match m)
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

    private static string SpeakNumbers(string s)
    {
        s = PerRegex().Replace(s, " per ");
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

    private static string Alternation(IEnumerable<string> keys) =>
        string.Join('|', keys.OrderByDescending(k => k.Length).Select(Regex.Escape));

    [GeneratedRegex(@"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b", RegexOptions.CultureInvariant)]
    private static partial Regex EmailRegex();

    [GeneratedRegex(@"\b(?:https?|ftp)://[^\s<>""]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SchemeUrlRegex();

    [GeneratedRegex(@"[.,;:!?)\]'""]*$", RegexOptions.CultureInvariant)]
    private static partial Regex TrailingPunctuationRegex();

    [GeneratedRegex(@"(?<![\w.])(?<ip>(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d))(?<port>:\d{1,5})?(?!\w|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex IpAddressRegex();

    [GeneratedRegex(@"\blocalhost(?<rest>:\d{1,5}(?:/[^\s<>""]*)?|/[^\s<>""]*)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex LocalhostRegex();

    [GeneratedRegex(@"(?<![\w+])(?:(?<cc>\+?1)[ .-]?)?(?:\((?<area>\d{3})\)[ ]?|(?<area>\d{3})[ .-])(?<exchange>\d{3})[ .-](?<line>\d{4})(?![\w-]|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex NanpPhoneRegex();

    [GeneratedRegex(@"(?<![\w+])\+(?<cc>[2-9]\d{0,2})[ .-](?<rest>\d{1,4}(?:[ .-]\d{2,4}){1,4})(?![\w-]|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex InternationalPhoneRegex();

    [GeneratedRegex(@"(?<![\w.,+-])(?<exchange>[2-9]\d{2})-(?<line>\d{4})(?![\w-]|[.,]\d)", RegexOptions.CultureInvariant)]
    private static partial Regex LocalPhoneRegex();

    [GeneratedRegex(@"(?<=[A-Za-z])\(s\)", RegexOptions.CultureInvariant)]
    private static partial Regex OptionalPluralRegex();

    [GeneratedRegex(@"\b(?<y>\d{4})-(?<m>0?[1-9]|1[0-2])-(?<d>0?[1-9]|[12]\d|3[01])\b(?!-)", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDateRegex();

    [GeneratedRegex(@"(?<![\w/])(?<m>0?[1-9]|1[0-2])/(?<d>0?[1-9]|[12]\d|3[01])/(?<y>\d{4})\b(?!/)", RegexOptions.CultureInvariant)]
    private static partial Regex UsDateRegex();

    [GeneratedRegex(@"\b(?<month>Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?[ \t]+(?=\d{4}\b)", RegexOptions.CultureInvariant)]
    private static partial Regex MonthYearRegex();

    [GeneratedRegex(@"(?<=\d)(?:-|[ \t]?–[ \t]?)(?=[$€£¥₹]?\d)", RegexOptions.CultureInvariant)]
    private static partial Regex RangeRegex();

    [GeneratedRegex(@"(?<![\d:.])(?<h>[01]?\d|2[0-3]):(?<m>[0-5]\d)(?::(?<s>[0-5]\d))?(?![\d:]|\.\d)(?:[ \t]?(?<ap>[AaPp])(?:\.[Mm](?<dot>\.)?|[Mm])(?![A-Za-z]))?", RegexOptions.CultureInvariant)]
    private static partial Regex ClockTimeRegex();

    [GeneratedRegex(@"(?<![\w.:$€£¥₹])(?<h>1[0-2]|0?[1-9])[ \t]?(?<ap>[AaPp])(?:\.[Mm](?<dot>\.)?|[Mm])(?![A-Za-z])", RegexOptions.CultureInvariant)]
    private static partial Regex HourTimeRegex();

    [GeneratedRegex(@"(?<![\w.$€£¥₹])'?(?<d>1[1-9]\d0|20\d0|[1-9]0)'?s\b", RegexOptions.CultureInvariant)]
    private static partial Regex DecadeRegex();

    [GeneratedRegex(@"(?<![\w.])No\.[ \t]?(?=\d)", RegexOptions.CultureInvariant)]
    private static partial Regex NumberAbbreviationRegex();

    [GeneratedRegex(@"(?<![\w.])[Ee]xt\.?[ \t]?(?=\d)", RegexOptions.CultureInvariant)]
    private static partial Regex ExtensionRegex();

    [GeneratedRegex(@"(?<![\w/])w/(?<o>o)?(?=[ \t])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex WithRegex();

    [GeneratedRegex(@"(?<![\w.])(?<sign>-)?(?<cur>[$€£¥₹])[ \t]?(?:(?<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?<frac>\d+))?|\.(?<frac>\d+))(?<mag>[ \t](?i:hundred|thousand|million|billion|trillion)\b|(?:bn|tn|mn|[kKmMbBtT])\b)?(?![\w]|[.,]\d)", RegexOptions.CultureInvariant)]
    private static partial Regex MoneyRegex();

    [GeneratedRegex(@"(?<![\w.])(?:(?<prefix>v)(?<v>\d+(?:\.\d+)+)|(?<v>\d+\.\d+(?:\.\d+)+))(?![\w]|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex VersionRegex();

    [GeneratedRegex(@"(?<=[$€£¥₹][\d.,]*\d(?:[kKmMbB]|bn)?)/(?=[A-Za-z])", RegexOptions.CultureInvariant)]
    private static partial Regex PricePerRegex();

    [GeneratedRegex(@"(?<=\d):(?=\d)", RegexOptions.CultureInvariant)]
    private static partial Regex RatioRegex();

    [GeneratedRegex(@"(?<=\d)(?:[ \t][x×][ \t]|[ \t]?×[ \t]?)(?=\d)", RegexOptions.CultureInvariant)]
    private static partial Regex TimesRegex();

    [GeneratedRegex(@"(?<![\w.])(?<n>\d+(?:\.\d+)?)[xX](?!\w)", RegexOptions.CultureInvariant)]
    private static partial Regex MultiplierRegex();

    [GeneratedRegex(@"(?<![\w./])(?<a>\d+\.\d+)/(?<b>\d+(?:\.\d+)?)(?![\w/]|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex OutOfRegex();

    [GeneratedRegex(@"(?<![\w.])(?<n>\d{1,3}(?:,\d{3})+|\d+)(?:st|nd|rd|th|ST|ND|RD|TH)\b", RegexOptions.CultureInvariant)]
    private static partial Regex OrdinalRegex();

    [GeneratedRegex(@"(?<![\w./])(?:(?<w>\d+)[ \t]+)?(?<n>\d+)/(?<d>\d+)(?![\w/]|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex FractionRegex();

    [GeneratedRegex(@"(?<![\w.])(?<n>[-+]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+))[ \t]?%", RegexOptions.CultureInvariant)]
    private static partial Regex PercentRegex();

    [GeneratedRegex(@"(?<![\w&])#(?=\d)", RegexOptions.CultureInvariant)]
    private static partial Regex HashNumberRegex();

    [GeneratedRegex(@"(?<![\w.])(?<n>-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?))(?<mag>bn|[kKMB])\b", RegexOptions.CultureInvariant)]
    private static partial Regex MagnitudeSuffixRegex();

    [GeneratedRegex(@"(?<![\w.])(?:-(?=\.?\d))?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?!\w|\.\d|,\d{3}(?!\d))", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumberRegex();

    [GeneratedRegex(@"\bthe[ \t]+$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ArticleBeforeRegex();

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

    [GeneratedRegex(@"[ \t]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex SpacesRegex();

    [GeneratedRegex(@"(?<=\S)[ \t]+([,.!?;:])(?!\S)", RegexOptions.CultureInvariant)]
    private static partial Regex SpaceBeforePunctuationRegex();
}
