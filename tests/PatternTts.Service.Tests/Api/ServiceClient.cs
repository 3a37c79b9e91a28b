using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PatternTts.Service.Tests.Api;

/// <summary>Calling the service's endpoints and reading what they answer.</summary>
internal static class ServiceClient
{
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body) =>
        client.PostAsync(path, JsonContent.Create(body));

    public static Task<HttpResponseMessage> PostSpeechAsync(HttpClient client, object body) =>
        PostAsync(client, SpeechRequests.Path, body);

    /// <summary>A successful speech request's bytes.</summary>
    public static async Task<byte[]> SpeakAsync(HttpClient client, string text, string format, bool stream, double speed = 1.0, string voice = "af_heart")
    {
        var response = await PostSpeechAsync(client, new { model = "tts-1", input = text, voice, response_format = format, stream, speed });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>The OpenAI error object of a response, after checking it is JSON with all four keys.</summary>
    public static async Task<JsonElement> ReadErrorAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = document.RootElement.GetProperty("error").Clone();
        foreach (var key in new[] { "message", "type", "param", "code" })
        {
            Assert.True(error.TryGetProperty(key, out _), $"error.{key} is missing");
        }

        return error;
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>The words a caption must show for plain text: whitespace-separated, edge punctuation removed.</summary>
    public static string[] Words(string text) =>
        [.. text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Trim('.', ',', ';', ':', '!', '?', '"', '—'))
            .Where(w => w.Length > 0)];
}
