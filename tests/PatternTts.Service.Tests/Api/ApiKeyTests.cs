using System.Net;
using System.Net.Http.Headers;

namespace PatternTts.Service.Tests.Api;

/// <summary>With TTS_API_KEYS set, the API needs a key, probes do not, and guessing is slowed down.</summary>
public sealed class ApiKeyTests
{
    private static HttpRequestMessage Speech(string? key)
    {
        var request = SpeechRequests.Post("Hello.", format: "pcm");
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return request;
    }

    [Fact]
    public async Task WithKeysConfiguredTheApiNeedsOneAndTheProbesDoNot()
    {
        // Arrange
        using var factory = new ServiceFactory().With("Tts:ApiKeys", "first-key, second-key");
        var client = factory.CreateClient();

        // Act
        using var missing = await client.SendAsync(Speech(null));
        using var wrong = await client.SendAsync(Speech("guess"));
        using var right = await client.SendAsync(Speech("second-key"));
        using var dev = await ServiceClient.PostAsync(client, "/dev/phonemize", new { text = "hello" });
        using var health = await client.GetAsync("/health");
        using var ready = await client.GetAsync("/alive");

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("missing_api_key", (await ServiceClient.ReadErrorAsync(missing)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("invalid_api_key", (await ServiceClient.ReadErrorAsync(wrong)).GetProperty("code").GetString());
        Assert.Equal("Bearer", wrong.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, dev.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task RepeatedFailedAttemptsAreRefusedWithRetryAfterEvenWithTheRightKey()
    {
        // Arrange
        using var factory = new ServiceFactory().With("Tts:ApiKeys", "the-key");
        var client = factory.CreateClient();
        for (var i = 0; i < Microsoft.Extensions.Hosting.ApiKeys.FailuresPerWindow; i++)
        {
            using var failed = await client.SendAsync(Speech($"guess-{i}"));
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        // Act
        using var refused = await client.SendAsync(Speech("the-key"));

        // Assert
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal("rate_limit_exceeded", (await ServiceClient.ReadErrorAsync(refused)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task WithoutKeysTheApiIsOpenAsBefore()
    {
        using var factory = new ServiceFactory();

        using var response = await factory.CreateClient().SendAsync(Speech(null));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
