using System.Reflection;

namespace PatternTts.Deploy.Tests.Infrastructure;

/// <summary>Files of the repository under test.</summary>
internal static class Repo
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string ChartDir => Path.Combine(Root, "helm", "pattern-tts");

    public static string TemplatesDir => Path.Combine(ChartDir, "templates");

    public static string PathOf(string relative) =>
        Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    public static string Template(string name) => File.ReadAllText(Path.Combine(TemplatesDir, name));

    /// <summary>
    /// Walks up from the test binary to PatternTts.sln. Builds with <c>--artifacts-path</c> outside the tree put the
    /// binary elsewhere, so the project directory recorded at build time is the second starting point.
    /// </summary>
    private static string FindRoot()
    {
        var projectDirectory = typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ProjectDirectory")?.Value;

        string?[] starts = [AppContext.BaseDirectory, projectDirectory];
        foreach (var start in starts.OfType<string>())
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "PatternTts.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            $"No PatternTts.sln above {AppContext.BaseDirectory} or {projectDirectory ?? "(no project directory)"}.");
    }
}
