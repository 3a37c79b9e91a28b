using System.Text.RegularExpressions;

namespace PatternTts.Service.Text;

public static partial class Whitespace
{
    /// <summary>Every run of whitespace as one space, with none at either end.</summary>
    public static string Collapse(string text) => Run().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Run();
}
