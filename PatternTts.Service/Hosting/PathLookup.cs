namespace PatternTts.Service.Hosting;

/// <summary>
/// Resolves a configured relative path the way a developer expects: from the working directory, then from each
/// parent, so <c>models</c> and <c>.voices</c> at the repository root are found whether the service runs from the
/// root, from its project folder, or from a test's output folder.
/// </summary>
public static class PathLookup
{
    public static string? Find(string path, Func<string, bool> exists)
    {
        if (Path.IsPathRooted(path))
        {
            return exists(path) ? path : null;
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, path);
                if (exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
