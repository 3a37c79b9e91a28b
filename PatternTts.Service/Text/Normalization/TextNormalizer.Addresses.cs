using System.Text;
using System.Text.RegularExpressions;
using static PatternTts.Service.Text.Normalization.NormalizationTables;

namespace PatternTts.Service.Text.Normalization;

/// <summary>Emails, web addresses, IP addresses and phone numbers: read before anything else, because their dots and digits are not decimals.</summary>
public sealed partial class TextNormalizer
{
    private static string SpeakAddresses(string s, NormalizationOptions options)
    {
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

        return s;
    }

    // Built from the table of top-level domains, so it cannot be source-generated.
    private static readonly Regex BareHostRegex = FromTable(
        $@"(?<![\w.@/-])(?<host>(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+(?:{string.Join('|', TopLevelDomains)}))(?![\w-]|\.\w)(?<rest>:\d{{1,5}}(?![\d/?#])|(?::\d{{1,5}})?[/?#][^\s<>""]*)?");

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
}
