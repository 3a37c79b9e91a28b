using System.Globalization;
using System.Text;

namespace PatternTts.Service.Text.Normalization;

/// <summary>American English number words: cardinals, ordinals, years and digit strings.</summary>
public static class NumberWords
{
    private static readonly string[] Ones =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];

    private static readonly string[] Tens =
        ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    private static readonly string[] Scales =
        ["", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion"];

    // Ordinals differ from cardinals only in the last word, and only these last words are irregular.
    private static readonly Dictionary<string, string> IrregularOrdinals = new(StringComparer.Ordinal)
    {
        ["zero"] = "zeroth", ["one"] = "first", ["two"] = "second", ["three"] = "third", ["five"] = "fifth",
        ["eight"] = "eighth", ["nine"] = "ninth", ["twelve"] = "twelfth",
    };

    /// <summary>"1234" → "one thousand two hundred thirty-four"; negatives read "minus".</summary>
    public static string Cardinal(long value)
    {
        if (value < 0)
        {
            return "minus " + (value == long.MinValue ? Digits(value.ToString(CultureInfo.InvariantCulture)[1..]) : Cardinal(-value));
        }

        if (value < 1000)
        {
            return UnderThousand((int)value);
        }

        var groups = new List<string>();
        for (var scale = 0; value > 0; scale++, value /= 1000)
        {
            var group = (int)(value % 1000);
            if (group != 0)
            {
                groups.Insert(0, scale == 0 ? UnderThousand(group) : $"{UnderThousand(group)} {Scales[scale]}");
            }
        }

        return string.Join(' ', groups);
    }

    /// <summary>
    /// Cardinal for a digit string of any length with optional thousands separators; strings too long
    /// for <see cref="long"/> are read digit by digit.
    /// </summary>
    public static string Cardinal(string digits)
    {
        var clean = digits.Replace(",", "", StringComparison.Ordinal);
        return long.TryParse(clean, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? Cardinal(value)
            : Digits(clean);
    }

    /// <summary>"21" → "twenty-first".</summary>
    public static string Ordinal(long value)
    {
        var cardinal = Cardinal(value);
        var cut = cardinal.LastIndexOfAny([' ', '-']) + 1;
        var last = cardinal[cut..];
        string ordinal;
        if (IrregularOrdinals.TryGetValue(last, out var irregular))
        {
            ordinal = irregular;
        }
        else if (last.EndsWith('y'))
        {
            ordinal = last[..^1] + "ieth";
        }
        else
        {
            ordinal = last + "th";
        }

        return cardinal[..cut] + ordinal;
    }

    /// <summary>
    /// Reads a year the way people say it: 1999 → "nineteen ninety-nine", 1905 → "nineteen oh five",
    /// 1900 → "nineteen hundred", 2000 → "two thousand", 2008 → "two thousand eight", 2024 → "twenty twenty-four".
    /// </summary>
    public static string Year(int year)
    {
        if (year < 0)
        {
            return Year(-year) + " BC";
        }

        if (year < 1000 || year >= 10000)
        {
            return Cardinal(year);
        }

        var high = year / 100;
        var low = year % 100;
        if (year % 1000 < 10 && high % 10 == 0)
        {
            return Cardinal(year);
        }

        if (low == 0)
        {
            return $"{Cardinal(high)} hundred";
        }

        return low < 10 ? $"{Cardinal(high)} oh {Ones[low]}" : $"{Cardinal(high)} {Cardinal(low)}";
    }

    /// <summary>Plural of a year or number reading, for decades: "nineteen ninety" → "nineteen nineties".</summary>
    public static string Plural(string words)
    {
        if (words.EndsWith('y'))
        {
            return words[..^1] + "ies";
        }

        return words.EndsWith('x') ? words + "es" : words + "s";
    }

    /// <summary>"0427" → "zero four two seven"; non-digits are skipped.</summary>
    public static string Digits(string digits)
    {
        var sb = new StringBuilder(digits.Length * 6);
        foreach (var c in digits)
        {
            if (c is >= '0' and <= '9')
            {
                if (sb.Length > 0)
                {
                    sb.Append(' ');
                }

                sb.Append(Ones[c - '0']);
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// A plain written number: optional sign, integer part with or without thousands separators,
    /// optional fraction read digit by digit ("56.789" → "fifty-six point seven eight nine").
    /// </summary>
    public static string Number(string written)
    {
        var negative = written.StartsWith('-') || written.StartsWith('\u2212');
        var body = negative || written.StartsWith('+') ? written[1..] : written;
        var dot = body.IndexOf('.');
        var integer = dot < 0 ? body : body[..dot];
        var fraction = dot < 0 ? "" : body[(dot + 1)..];

        var words = integer.Length == 0 ? "" : Integer(integer);
        if (fraction.Length > 0)
        {
            words = (words.Length == 0 ? "point " : words + " point ") + Digits(fraction);
        }

        return negative ? "minus " + words : words;
    }

    /// <summary>True when a written number is exactly one, which selects singular nouns ("1 km" → "one kilometer").</summary>
    public static bool IsOne(string written) =>
        decimal.TryParse(written.Replace(",", "", StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture, out var d)
        && Math.Abs(d) == 1m
        && !written.Contains('.', StringComparison.Ordinal);

    // Leading zeros mean an identifier ("007"), not a quantity.
    private static string Integer(string digits) =>
        digits.Length > 1 && digits[0] == '0' && !digits.Contains(',', StringComparison.Ordinal)
            ? Digits(digits)
            : Cardinal(digits);

    private static string UnderThousand(int n)
    {
        if (n < 20)
        {
            return Ones[n];
        }

        if (n < 100)
        {
            return n % 10 == 0 ? Tens[n / 10] : $"{Tens[n / 10]}-{Ones[n % 10]}";
        }

        var rest = n % 100;
        return rest == 0 ? $"{Ones[n / 100]} hundred" : $"{Ones[n / 100]} hundred {UnderThousand(rest)}";
    }
}
