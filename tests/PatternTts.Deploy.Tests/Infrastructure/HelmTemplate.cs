using System.Text.RegularExpressions;

namespace PatternTts.Deploy.Tests.Infrastructure;

internal sealed record TemplateAction(string Body, int Line);

/// <summary>
/// The Go-template layer of a Helm template, read without Helm: its actions, the blocks they open and close,
/// the values they reference and the named templates they define or include.
/// </summary>
internal static partial class HelmTemplate
{
    private static readonly string[] BlockOpeners = ["if", "range", "with", "define", "block"];

    public static IReadOnlyList<TemplateAction> Actions(string text)
    {
        var actions = new List<TemplateAction>();
        foreach (Match match in ActionPattern().Matches(text))
        {
            var line = text.AsSpan(0, match.Index).Count('\n') + 1;
            actions.Add(new TemplateAction(match.Groups["body"].Value.Trim(), line));
        }

        return actions;
    }

    /// <summary>Structural errors: stray delimiters, blocks never closed, <c>end</c> or <c>else</c> outside a block.</summary>
    public static IReadOnlyList<string> StructuralErrors(string text)
    {
        var errors = new List<string>();
        var withoutActions = ActionPattern().Replace(text, "");
        if (withoutActions.Contains("{{", StringComparison.Ordinal) || withoutActions.Contains("}}", StringComparison.Ordinal))
        {
            errors.Add("unmatched {{ or }}");
        }

        var open = new Stack<TemplateAction>();
        foreach (var action in Actions(text))
        {
            if (action.Body.StartsWith("/*", StringComparison.Ordinal))
            {
                if (!action.Body.EndsWith("*/", StringComparison.Ordinal))
                {
                    errors.Add($"line {action.Line}: unterminated comment");
                }

                continue;
            }

            var keyword = FirstWord(action.Body);
            if (BlockOpeners.Contains(keyword))
            {
                open.Push(action);
            }
            else if (keyword == "else" && open.Count == 0)
            {
                errors.Add($"line {action.Line}: else outside a block");
            }
            else if (keyword == "end" && !open.TryPop(out _))
            {
                errors.Add($"line {action.Line}: end without a block");
            }
        }

        errors.AddRange(open.Select(a => $"line {a.Line}: '{FirstWord(a.Body)}' never closed"));

        foreach (var action in Actions(text).Where(a => !a.Body.StartsWith("/*", StringComparison.Ordinal)))
        {
            var code = StripStrings(action.Body);
            if (code.Count(c => c == '(') != code.Count(c => c == ')'))
            {
                errors.Add($"line {action.Line}: unbalanced parentheses in '{action.Body}'");
            }
        }

        return errors;
    }

    /// <summary>Every <c>.Values.a.b</c> (or <c>$.Values.a.b</c>) path the text references.</summary>
    public static IEnumerable<string> ValuesReferences(string text) =>
        Actions(text).Where(a => !a.Body.StartsWith("/*", StringComparison.Ordinal))
            .SelectMany(a => ValuesPattern().Matches(a.Body)).Select(m => m.Groups["path"].Value.TrimStart('.'));

    public static IEnumerable<string> Includes(string text) =>
        Actions(text).SelectMany(a => IncludePattern().Matches(a.Body)).Select(m => m.Groups["name"].Value);

    public static IEnumerable<string> Defines(string text) =>
        Actions(text).Select(a => DefinePattern().Match(a.Body)).Where(m => m.Success).Select(m => m.Groups["name"].Value);

    private static string FirstWord(string body)
    {
        var match = FirstWordPattern().Match(body);
        return match.Success ? match.Value : "";
    }

    private static string StripStrings(string body) => StringPattern().Replace(body, "\"\"");

    [GeneratedRegex(@"\{\{-?(?<body>.*?)-?\}\}", RegexOptions.Singleline)]
    private static partial Regex ActionPattern();

    [GeneratedRegex(@"^[a-z]+")]
    private static partial Regex FirstWordPattern();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])\$?\.Values(?<path>(?:\.[A-Za-z_][A-Za-z0-9_]*)+)")]
    private static partial Regex ValuesPattern();

    [GeneratedRegex(@"\b(?:include|template)\s+""(?<name>[^""]+)""")]
    private static partial Regex IncludePattern();

    [GeneratedRegex(@"^(?:define|block)\s+""(?<name>[^""]+)""")]
    private static partial Regex DefinePattern();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex StringPattern();
}
