using System.Text;
using System.Text.Json;

namespace PatternTts.Testing;

/// <summary>Bodies for <c>POST /v1/audio/speech</c>, as an OpenAI client would send them.</summary>
public static class SpeechRequests
{
    public const string Path = "/v1/audio/speech";

    public static string Json(string input, string voice = "alloy", string format = "wav", bool stream = false, string model = "tts-1") =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = model,
            ["input"] = input,
            ["voice"] = voice,
            ["response_format"] = format,
            ["stream"] = stream,
        });

    public static HttpRequestMessage Post(string input, string voice = "alloy", string format = "wav", bool stream = false, string model = "tts-1") =>
        new(HttpMethod.Post, Path) { Content = new StringContent(Json(input, voice, format, stream, model), Encoding.UTF8, "application/json") };
}
