namespace PatternTts.Deploy.Tests.Infrastructure;

/// <summary>Files of the repository under test.</summary>
internal static class Repo
{
    public static string Root => RepoRoot.Path;

    public static string ChartDir => Path.Combine(Root, "helm", "pattern-tts");

    public static string TemplatesDir => Path.Combine(ChartDir, "templates");

    public static string PathOf(string relative) => RepoRoot.Combine(relative);

    public static string Read(string relative) => RepoRoot.Read(relative);

    public static string Template(string name) => File.ReadAllText(Path.Combine(TemplatesDir, name));
}
