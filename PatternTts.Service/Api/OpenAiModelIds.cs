namespace PatternTts.Service.Api;

/// <summary>The <c>model</c> values the speech API accepts: OpenAI's ids, and the two engines by name.</summary>
public static class OpenAiModelIds
{
    public static readonly IReadOnlyList<string> All =
        ["tts-1", "tts-1-hd", "gpt-4o-mini-tts", "gpt-4o-mini-tts-2025-12-15", EngineNames.Kokoro, EngineNames.Espeak];
}
