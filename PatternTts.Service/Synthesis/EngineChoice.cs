namespace PatternTts.Service.Synthesis;

/// <summary>The engine names the API, the headers and TTS_ENGINE use.</summary>
public static class EngineNames
{
    public const string Auto = "auto";
    public const string Kokoro = "kokoro";
    public const string Espeak = "espeak-ng";
}

/// <summary>Which engine the operator asked for (TTS_ENGINE).</summary>
public enum EngineChoice
{
    /// <summary>Kokoro; in Development only, espeak-ng while the model is missing.</summary>
    Auto,
    Kokoro,
    Espeak,
}

public static class EngineChoices
{
    public static readonly IReadOnlyList<string> Names = [EngineNames.Auto, EngineNames.Kokoro, EngineNames.Espeak];

    public static bool TryParse(string? name, out EngineChoice choice)
    {
        choice = name?.Trim().ToLowerInvariant() switch
        {
            EngineNames.Auto => EngineChoice.Auto,
            EngineNames.Kokoro => EngineChoice.Kokoro,
            EngineNames.Espeak => EngineChoice.Espeak,
            _ => (EngineChoice)(-1),
        };
        return Enum.IsDefined(choice);
    }
}
