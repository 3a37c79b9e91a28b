using System.Reflection;

namespace PatternTts.Testing;

/// <summary>The repository under test: the folder holding PatternTts.sln.</summary>
public static class RepoRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    /// <summary>A repository-relative path (forward slashes) as a full path.</summary>
    public static string Combine(string relative) =>
        System.IO.Path.Combine(Path, relative.Replace('/', System.IO.Path.DirectorySeparatorChar));

    public static string Read(string relative) => File.ReadAllText(Combine(relative));

    /// <summary>
    /// Walks up from the test binary to PatternTts.sln. Builds with <c>--artifacts-path</c> outside the tree put the
    /// binary elsewhere, so the project directory recorded at build time is the second starting point.
    /// </summary>
    private static string Find()
    {
        var projectDirectory = typeof(RepoRoot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ProjectDirectory")?.Value;

        string?[] starts = [AppContext.BaseDirectory, projectDirectory];
        foreach (var start in starts.OfType<string>())
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "PatternTts.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            $"No PatternTts.sln above {AppContext.BaseDirectory} or {projectDirectory ?? "(no project directory)"}.");
    }
}
