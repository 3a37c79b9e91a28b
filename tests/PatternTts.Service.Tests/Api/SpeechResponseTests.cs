using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace PatternTts.Service.Tests.Api;

/// <summary>
/// Every endpoint that speaks goes through one response writer: the same headers, the same 429 when busy, and the
/// same abort when synthesis fails after audio has started to stream.
/// </summary>
public sealed class SpeechResponseTests
{
    private const string LongText =
        "The first sentence is short. The second one runs on for a while, with clauses and commas, so that the " +
        "planner has to cut it into several chunks for the model. The third sentence ends it.";

    public static TheoryData<string, object> SpeakingEndpoints => new()
    {
        { "/v1/audio/speech", new { model = "tts-1", input = LongText, voice = "af_heart", response_format = "wav", stream = false } },
        { "/dev/captioned_speech", new { model = "tts-1", input = LongText, voice = "af_heart", response_format = "wav", stream = false } },
        { "/dev/generate_from_phonemes", new { phonemes = "ðə fˈɜːst sˈɛntəns.", voice = "af_heart" } },
    };

    [Theory]
    [MemberData(nameof(SpeakingEndpoints))]
    public async Task EveryEndpointThatSpeaksNamesItsEngineAndIsNotCached(string path, object body)
    {
        // Arrange
        using var factory = new ServiceFactory().WithStandIn();
        factory.UseRecordingModel();

        // Act
        using var response = await ServiceClient.PostAsync(factory.CreateClient(), path, body);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("kokoro", Assert.Single(response.Headers.GetValues("X-Tts-Engine")));
        Assert.True(response.Headers.CacheControl?.NoCache);
        Assert.Equal((await response.Content.ReadAsByteArrayAsync()).Length, response.Content.Headers.ContentLength);
    }

    [Theory]
    [MemberData(nameof(SpeakingEndpoints))]
    public async Task EveryEndpointThatSpeaksAnswersTooManyRequestsPastTheQueue(string path, object body)
    {
        // Arrange: one synthesis at a time, no queue, and the first one held inside the model.
        await using var held = await OneSlotHeldAsync(queue: 0);
        var (factory, client, release, first) = (held.Factory, held.Client, held.Release, held.First);

        // Act
        using var second = await ServiceClient.PostAsync(client, path, body);
        release.SetResult();

        // Assert
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("1", second.Headers.RetryAfter?.ToString());
        var error = await ServiceClient.ReadErrorAsync(second);
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
    }

    [Fact]
    public async Task StreamedCaptionsAbortWhenSynthesisFailsAfterTheFirstChunk()
    {
        // Arrange
        using var factory = new ServiceFactory().WithStandIn();
        factory.UseRecordingModel((index, _) => index == 1 ? Task.FromException(new InvalidDataException("model broke")) : Task.CompletedTask);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dev/captioned_speech")
        {
            Content = JsonContent.Create(new { model = "tts-1", input = LongText, voice = "af_heart", response_format = "mp3", stream = true }),
        };

        // Act
        using var response = await factory.CreateClient().SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();

        // Assert: the headers went out with the first chunk, so the failure can only break the transfer.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        await Assert.ThrowsAnyAsync<IOException>(() => body.CopyToAsync(Stream.Null));
    }

    [Fact]
    public async Task AVoiceMixIsComputedOnlyOnceItsRequestHoldsASynthesisSlot()
    {
        // Arrange: one synthesis at a time, the first one held inside the model, the mixed request queued behind it.
        const string Mix = "af_bella(2)+af_sky(1)";
        await using var held = await OneSlotHeldAsync(queue: 4);
        var (factory, client, release, first) = (held.Factory, held.Client, held.Release, held.First);
        var scheduler = factory.Services.GetRequiredService<SynthesisScheduler>();

        // Act
        var mixed = ServiceClient.PostSpeechAsync(client, new { model = "tts-1", input = "Mixed.", voice = Mix, response_format = "pcm" });
        await Eventually.WaitAsync(() => Task.FromResult(scheduler.Waiting), waiting => waiting == 1, "the mixed request to wait for a slot");
        var whileQueued = factory.Services.GetRequiredService<VoiceStore>().Resolve(Mix).IsComputed;
        release.SetResult();
        using var mixedResponse = await mixed;

        // Assert
        Assert.False(whileQueued);
        Assert.Equal(HttpStatusCode.OK, mixedResponse.StatusCode);
        Assert.True(factory.Services.GetRequiredService<VoiceStore>().Resolve(Mix).IsComputed);
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
    }

    /// <summary>A service with one synthesis slot, taken by a first request held inside the model until released.</summary>
    private static async Task<HeldSlot> OneSlotHeldAsync(int queue)
    {
        var factory = new ServiceFactory().WithStandIn()
            .With("Tts:MaxConcurrentSyntheses", "1")
            .With("Tts:MaxQueueLength", queue.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var release = new TaskCompletionSource();
        var busy = new TaskCompletionSource();
        factory.UseRecordingModel((_, ct) =>
        {
            busy.TrySetResult();
            return release.Task.WaitAsync(ct);
        });
        var client = factory.CreateClient();
        var first = ServiceClient.PostSpeechAsync(client, new { model = "tts-1", input = "Hold on.", voice = "af_heart", response_format = "pcm" });
        await busy.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return new HeldSlot(factory, client, release, first);
    }

    private sealed record HeldSlot(ServiceFactory Factory, HttpClient Client, TaskCompletionSource Release, Task<HttpResponseMessage> First) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            Release.TrySetResult();
            Factory.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
