using System.Net.Http.Json;
using System.Text.Json;

namespace PatternTts.Service.Tests.Api;

/// <summary>Posting to the dev endpoints and reading what they answer.</summary>
internal static class DevClient
{
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body) =>
        client.PostAsync(path, JsonContent.Create(body));

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
