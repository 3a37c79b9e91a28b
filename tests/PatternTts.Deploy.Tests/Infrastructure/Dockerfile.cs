using System.Text;
using System.Text.RegularExpressions;

namespace PatternTts.Deploy.Tests.Infrastructure;

internal sealed record DockerInstruction(string Keyword, string Arguments, int Line);

internal sealed record DockerStage(string BaseImage, string? Name, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) =>
        Instructions.Where(i => i.Keyword.Equals(keyword, StringComparison.OrdinalIgnoreCase));

    public DockerInstruction? Last(string keyword) => All(keyword).LastOrDefault();

    /// <summary>ENV pairs of this stage (the <c>KEY=value</c> form), later ones winning.</summary>
    public IReadOnlyDictionary<string, string> Environment
    {
        get
        {
            var env = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var instruction in All("ENV"))
            {
                foreach (var (key, value) in Dockerfile.ParsePairs(instruction.Arguments))
                {
                    env[key] = value;
                }
            }

            return env;
        }
    }

    /// <summary>ARG declarations of this stage with their defaults (null when declared without one).</summary>
    public IReadOnlyDictionary<string, string?> Args =>
        All("ARG").Select(i => i.Arguments.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => p.Length > 1 ? p[1].Trim().Trim('"') : null);
}

/// <summary>
/// Enough of the Dockerfile grammar to check its properties without a Docker engine: comments, line continuations,
/// stages (<c>FROM image [AS name]</c>), and the <c>KEY=value</c> form of ENV.
/// </summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerInstruction> global, IReadOnlyList<DockerStage> stages)
    {
        GlobalInstructions = global;
        Stages = stages;
    }

    public IReadOnlyList<DockerInstruction> GlobalInstructions { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    public DockerStage Final => Stages[^1];

    public DockerStage Stage(string name) =>
        Stages.SingleOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidOperationException($"No stage named '{name}'.");

    public static Dockerfile Load(string relativePath) => Parse(Repo.Read(relativePath));

    public static Dockerfile Parse(string text)
    {
        var instructions = new List<DockerInstruction>();
        var current = new StringBuilder();
        var startLine = 0;
        var lines = text.Replace("\r\n", "\n").Split('\n');

        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].Trim();
            // Docker drops comment lines even inside a continued instruction.
            if (trimmed.StartsWith('#') || (trimmed.Length == 0 && current.Length == 0))
            {
                continue;
            }

            if (current.Length == 0)
            {
                startLine = i + 1;
            }

            var continues = trimmed.EndsWith('\\');
            current.Append(continues ? trimmed[..^1].TrimEnd() : trimmed).Append(' ');
            if (!continues)
            {
                Add(current.ToString().Trim());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            Add(current.ToString().Trim());
        }

        var global = new List<DockerInstruction>();
        var stages = new List<(string Image, string? Name, List<DockerInstruction> Body)>();
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                var match = FromPattern().Match(instruction.Arguments);
                if (!match.Success)
                {
                    throw new FormatException($"Line {instruction.Line}: cannot read FROM '{instruction.Arguments}'.");
                }

                stages.Add((match.Groups["image"].Value, match.Groups["name"].Success ? match.Groups["name"].Value : null, []));
            }
            else if (stages.Count == 0)
            {
                global.Add(instruction);
            }
            else
            {
                stages[^1].Body.Add(instruction);
            }
        }

        return new Dockerfile(global, stages.Select(s => new DockerStage(s.Image, s.Name, s.Body)).ToList());

        void Add(string instruction)
        {
            var space = instruction.IndexOf(' ');
            var keyword = (space < 0 ? instruction : instruction[..space]).ToUpperInvariant();
            var arguments = space < 0 ? "" : instruction[(space + 1)..].Trim();
            instructions.Add(new DockerInstruction(keyword, arguments, startLine));
        }
    }

    /// <summary>Splits <c>A=1 B="two words"</c> into pairs.</summary>
    public static IEnumerable<(string Key, string Value)> ParsePairs(string arguments)
    {
        foreach (Match match in PairPattern().Matches(arguments))
        {
            var value = match.Groups["value"].Value;
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }

            yield return (match.Groups["key"].Value, value);
        }
    }

    [GeneratedRegex(@"^(?:--platform=\S+\s+)?(?<image>\S+)(?:\s+AS\s+(?<name>\S+))?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex FromPattern();

    [GeneratedRegex(@"(?<key>[A-Za-z_][A-Za-z0-9_]*)=(?<value>""[^""]*""|\S*)")]
    private static partial Regex PairPattern();
}
