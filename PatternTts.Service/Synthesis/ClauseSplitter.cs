using System.Text.RegularExpressions;

namespace PatternTts.Service.Synthesis;

/// <summary>Where a piece of text ends, which decides both where a chunk may be cut and how long the pause after it is.</summary>
public enum Boundary
{
    None,
    Clause,
    Sentence,
}

public sealed record Clause(string Text, Boundary End);

/// <summary>Splits text after sentence marks, then after clause marks, keeping each mark with its clause.</summary>
public static partial class ClauseSplitter
{
    private const string SentenceMarks = ".!?…";
    private const string ClauseMarks = ",;:—";

    /// <summary>The boundary a piece of text ends on, judged by its last character.</summary>
    public static Boundary EndOf(string text) => text.Length == 0 ? Boundary.None
        : SentenceMarks.Contains(text[^1]) ? Boundary.Sentence
        : ClauseMarks.Contains(text[^1]) ? Boundary.Clause
        : Boundary.None;

    public static List<Clause> Split(string text)
    {
        var clauses = new List<Clause>();
        var start = 0;
        foreach (Match mark in BoundaryMark().Matches(text))
        {
            var end = mark.Index + mark.Length;
            Add(clauses, text[start..end], mark.Groups["s"].Success || mark.Value.Contains('\n') ? Boundary.Sentence : Boundary.Clause);
            start = end;
        }

        Add(clauses, text[start..], Boundary.Sentence);
        return clauses;
    }

    private static void Add(List<Clause> clauses, string text, Boundary end)
    {
        var trimmed = text.Trim();
        if (trimmed.Length > 0)
        {
            clauses.Add(new Clause(trimmed, end));
        }
    }

    // A mark counts only when whitespace (or the end) follows, so "3.5" and "example.com" stay whole.
    [GeneratedRegex(@"(?:(?<s>[" + SentenceMarks + @"]+[""”’)\]]*)|[" + ClauseMarks + @"]+)(?=\s|$)|\n+")]
    private static partial Regex BoundaryMark();
}
