using System.Net;
using System.Net.Http.Json;

namespace PatternTts.Service.Tests.Api;

/// <summary>Saved mixes by id: combine → list → speak with <c>"voice": {"id": …}</c>, on one replica or across a fleet sharing Redis.</summary>
public sealed class VoiceIdTests
{
    private const string Recipe = "af_bella(2)+af_sky(1)";

    [Fact]
    public async Task ACombinedMixGetsAnIdThatIsListedWithItsRecipeAndSpeaksLikeTheRecipe()
    {
        using var service = Saving(new ServiceFactory().WithStandIn());
        var client = service.CreateClient();

        var id = await CombineAsync(client);
        var list = await ServiceClient.ReadJsonAsync(await client.GetAsync("/v1/audio/voices"));
        var byId = await SpeakAsync(client, new { id });
        var byRecipe = await SpeakAsync(client, Recipe);

        Assert.Matches("^voice_[0-9a-f]{16}$", id);
        var listed = list.GetProperty("voices").EnumerateArray().Single(v => v.GetProperty("id").GetString() == id);
        Assert.Equal(Recipe, listed.GetProperty("recipe").GetString());
        Assert.Equal("English (US)", listed.GetProperty("language").GetString());
        Assert.Equal(byRecipe, byId);
        Assert.Equal(id, await CombineAsync(client));
    }

    [Fact]
    public async Task AnUnknownIdIsABadRequestNamingIt()
    {
        using var service = Saving(new ServiceFactory().WithStandIn());

        var response = await ServiceClient.PostSpeechAsync(service.CreateClient(),
            new { model = "tts-1", input = "Hello.", voice = new { id = "voice_0123456789abcdef" }, response_format = "pcm" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ServiceClient.ReadErrorAsync(response);
        Assert.Equal("voice", error.GetProperty("param").GetString());
        Assert.Contains("voice_0123456789abcdef", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMixSavedOnOneReplicaSpeaksByIdOnAnotherThroughRedis()
    {
        await using var redis = await RedisServer.StartAsync();
        using var first = Saving(new ServiceFactory().WithStandIn()).With("ConnectionStrings:redis", redis.ConnectionString).With("Tts:CacheMaxMegabytes", "0");
        using var second = Saving(new ServiceFactory().WithStandIn()).With("ConnectionStrings:redis", redis.ConnectionString).With("Tts:CacheMaxMegabytes", "0");

        var id = await CombineAsync(first.CreateClient());
        var listed = await ServiceClient.ReadJsonAsync(await second.CreateClient().GetAsync("/v1/audio/voices"));
        var there = await SpeakAsync(second.CreateClient(), new { id });
        var here = await SpeakAsync(first.CreateClient(), Recipe);

        Assert.Contains(listed.GetProperty("voices").EnumerateArray(), v => v.GetProperty("id").GetString() == id);
        Assert.Equal(here, there);
    }

    private static ServiceFactory Saving(ServiceFactory factory) =>
        factory.With("Tts:AllowVoiceSaving", "true").With("Tts:TempDir", Directory.CreateTempSubdirectory("tts-voice-ids-").FullName);

    private static async Task<string> CombineAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/v1/audio/voices/combine", Recipe);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("X-Voice-Id").Single();
    }

    private static async Task<byte[]> SpeakAsync(HttpClient client, object voice)
    {
        using var response = await ServiceClient.PostSpeechAsync(client, new { model = "tts-1", input = "Hold the line, please.", voice, response_format = "pcm", stream = false });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }
}
