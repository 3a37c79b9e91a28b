using System.Text.RegularExpressions;

namespace PatternTts.Deploy.Tests.Infrastructure;

/// <summary>
/// The .dockerignore rules as Docker applies them: in order, the last matching rule wins, <c>!</c> re-includes,
/// <c>**</c> spans folders, and a rule that matches a folder matches everything under it.
/// </summary>
internal sealed class DockerIgnore(IReadOnlyList<(Regex Pattern, bool Include)> rules)
{
    public static DockerIgnore Load(string relativePath) => Parse(Repo.Read(relativePath));

    public static DockerIgnore Parse(string text)
    {
        var rules = new List<(Regex, bool)>();
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var include = line.StartsWith('!');
            var pattern = (include ? line[1..] : line).Trim().Trim('/');
            rules.Add((ToRegex(pattern), include));
        }

        return new DockerIgnore(rules);
    }

    public bool IsExcluded(string relativePath)
    {
        var path = relativePath.Replace('\\', '/').Trim('/');
        var candidates = Prefixes(path).ToList();
        var excluded = false;
        foreach (var (pattern, include) in rules)
        {
            if (candidates.Any(c => pattern.IsMatch(c)))
            {
                excluded = !include;
            }
        }

        return excluded;
    }

    private static IEnumerable<string> Prefixes(string path)
    {
        var parts = path.Split('/');
        for (var i = 1; i <= parts.Length; i++)
        {
            yield return string.Join('/', parts[..i]);
        }
    }

    private static Regex ToRegex(string pattern)
    {
        var regex = "^";
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var followedBySlash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex += followedBySlash ? "(?:.*/)?" : ".*";
                i += followedBySlash ? 2 : 1;
            }
            else if (c == '*')
            {
                regex += "[^/]*";
            }
            else if (c == '?')
            {
                regex += "[^/]";
            }
            else
            {
                regex += Regex.Escape(c.ToString());
            }
        }

        return new Regex(regex + "$", RegexOptions.CultureInvariant);
    }
}
