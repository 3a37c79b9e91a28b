namespace PatternTts.Service.Hosting;

/// <summary>
/// Resolves a configured relative path the way a developer expects: from the working directory, then from each
/// parent, so <c>models</c> and <c>.voices</c> at the repository root are found whether the service runs from the
/// root, from its project folder, or from a test's output folder.
/// </summary>
public static class PathLookup
{
    /// <summary>The first place <paramref name="exists"/> accepts, from the working directory up, then from the binary up.</summary>
    public static string? Find(string path, Func<string, bool> exists) =>
        Candidates(path, Directory.GetCurrentDirectory(), AppContext.BaseDirectory).FirstOrDefault(exists);

    /// <summary>The places a path may mean: itself when rooted, else under each start folder and each of its parents.</summary>
    public static IEnumerable<string> Candidates(string path, params string[] starts)
    {
        if (Path.IsPathRooted(path))
        {
            yield return Path.GetFullPath(path);
            yield break;
        }

        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            {
                yield return Path.GetFullPath(Path.Combine(dir.FullName, path));
            }
        }
    }
}
