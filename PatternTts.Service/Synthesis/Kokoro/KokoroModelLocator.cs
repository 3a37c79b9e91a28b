namespace PatternTts.Service.Synthesis.Kokoro;

/// <summary>Where the Kokoro model was found, or why it was not.</summary>
/// <param name="Path">The absolute path of the .onnx file, or null.</param>
/// <param name="Reason">When <paramref name="Path"/> is null, a sentence an operator can act on; otherwise why this file was chosen.</param>
public sealed record KokoroModelLocation(string? Path, string? Reason)
{
    public bool Found => Path is not null;
}

/// <summary>
/// Resolves <see cref="TtsOptions.ModelPath"/>. A relative path is tried from the start directory and then from
/// each parent, so the default <c>models</c> works both from the repository root and from the project folder
/// (where <c>dotnet run</c> sets the working directory).
/// </summary>
public static class KokoroModelLocator
{
    public static KokoroModelLocation Locate(string modelPath, string? startDirectory = null)
    {
        if (string.IsNullOrWhiteSpace(modelPath))
        {
            return new KokoroModelLocation(null, "Tts:ModelPath (TTS_MODEL_PATH) is empty.");
        }

        var candidates = PathLookup.Candidates(modelPath, startDirectory ?? Directory.GetCurrentDirectory()).ToList();
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return new KokoroModelLocation(candidate, "TTS_MODEL_PATH names this file.");
            }

            // onnx-community's layout keeps the exports in an onnx/ subfolder.
            foreach (var folder in new[] { candidate, System.IO.Path.Combine(candidate, "onnx") }.Where(Directory.Exists))
            {
                var present = TtsOptions.ModelFileNames.Select(name => System.IO.Path.Combine(folder, name)).Where(File.Exists).ToList();
                if (present.Count > 0)
                {
                    var others = present.Skip(1).Select(System.IO.Path.GetFileName).ToList();
                    return new KokoroModelLocation(present[0],
                        $"first of {string.Join(", ", TtsOptions.ModelFileNames)} in {folder}" +
                        (others.Count > 0 ? $" (also there: {string.Join(", ", others)}; name one in TTS_MODEL_PATH to use it)." : "."));
                }
            }
        }

        var looked = candidates.Count == 1 ? candidates[0] : $"{candidates[0]} and {candidates.Count - 1} parent folders";
        return new KokoroModelLocation(null,
            $"No Kokoro model found for TTS_MODEL_PATH '{modelPath}' (looked for a file, or a folder holding " +
            $"{string.Join(", ", TtsOptions.ModelFileNames)}, at {looked}). " +
            "Run 'dotnet run --project PatternTts.Service -- download-model', or set TTS_MODEL_PATH to the .onnx file.");
    }
}
