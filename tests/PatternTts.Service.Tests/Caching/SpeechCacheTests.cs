using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace PatternTts.Service.Tests.Caching;

public sealed class SpeechCacheTests
{
    private const string Prompt = "Your call is important to us. Please stay on the line.";

    [Fact]
    public async Task ARepeatedRequestIsServedFromTheCacheWithTheSameBytesAndNoModelCall()
    {
        // Arrange
        using var factory = new ServiceFactory().WithStandIn();
        var model = factory.UseRecordingModel();
        var client = factory.CreateClient();
        var request = new { model = "tts-1", input = Prompt, voice = "af_heart", response_format = "mp3" };

        // Act
        using var first = await ServiceClient.PostSpeechAsync(client, request);
        var firstBytes = await first.Content.ReadAsByteArrayAsync();
        var callsAfterFirst = model.Calls.Count;
        using var second = await ServiceClient.PostSpeechAsync(client, request);
        var secondBytes = await second.Content.ReadAsByteArrayAsync();

        // Assert
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("miss", Header(first, "X-Cache"));
        Assert.Equal("hit", Header(second, "X-Cache"));
        Assert.Equal(firstBytes, secondBytes);
        Assert.True(callsAfterFirst > 0);
        Assert.Equal(callsAfterFirst, model.Calls.Count);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal("audio/mpeg", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal(secondBytes.Length, second.Content.Headers.ContentLength);
        Assert.Equal("kokoro", Header(second, "X-Tts-Engine"));
    }

    [Fact]
    public async Task IfNoneMatchWithTheResponsesETagAnswers304WithoutABodyOrAModelCall()
    {
        // Arrange
        using var factory = new ServiceFactory().WithStandIn();
        var model = factory.UseRecordingModel();
        var client = factory.CreateClient();
        var body = new { model = "tts-1", input = Prompt, voice = "af_heart", response_format = "wav" };
        using var first = await ServiceClient.PostSpeechAsync(client, body);
        var etag = first.Headers.ETag ?? throw new InvalidOperationException("The first response carried no ETag.");
        var calls = model.Calls.Count;

        // Act
        using var conditional = new HttpRequestMessage(HttpMethod.Post, "/v1/audio/speech") { Content = JsonContent.Create(body) };
        conditional.Headers.IfNoneMatch.Add(etag);
        using var notModified = await client.SendAsync(conditional);
        var callsAfterConditional = model.Calls.Count;
        using var other = new HttpRequestMessage(HttpMethod.Post, "/v1/audio/speech") { Content = JsonContent.Create(body with { input = "Something else." }) };
        other.Headers.IfNoneMatch.Add(etag);
        using var changed = await client.SendAsync(other);

        // Assert
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, notModified.Headers.ETag);
        Assert.Equal(calls, callsAfterConditional);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        Assert.True(WavFile.Parse(await changed.Content.ReadAsByteArrayAsync()).Samples.Length > 0);
    }

    [Fact]
    public async Task AStreamedRequestHitsTheCacheAndGetsTheWholeAudioItWouldHaveStreamed()
    {
        // Arrange
        using var factory = new ServiceFactory().WithStandIn();
        factory.UseRecordingModel();
        var client = factory.CreateClient();
        var request = new { model = "tts-1", input = Prompt, voice = "af_heart", response_format = "pcm", stream = true };

        // Act
        using var first = await ServiceClient.PostSpeechAsync(client, request);
        var streamed = await first.Content.ReadAsByteArrayAsync();
        using var second = await ServiceClient.PostSpeechAsync(client, request);

        // Assert
        Assert.Equal("hit", Header(second, "X-Cache"));
        Assert.Equal(streamed, await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ResponsesAboveTheEntryLimitAreNotCached()
    {
        // Arrange: 1 KiB per entry, and a WAV far larger.
        using var factory = new ServiceFactory().WithStandIn().With("Tts:CacheMaxEntryKilobytes", "1");
        var model = factory.UseRecordingModel();
        var client = factory.CreateClient();
        var request = new { model = "tts-1", input = Prompt, voice = "af_heart", response_format = "wav" };

        // Act
        using var first = await ServiceClient.PostSpeechAsync(client, request);
        var calls = model.Calls.Count;
        using var second = await ServiceClient.PostSpeechAsync(client, request);

        // Assert
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("miss", Header(second, "X-Cache"));
        Assert.Equal(2 * calls, model.Calls.Count);
    }

    [Fact]
    public async Task TheMemoryLevelNeverHoldsMoreThanItsByteBound()
    {
        // Arrange: a 1 MiB cache and WAVs of about 200 KiB each.
        using var factory = new ServiceFactory().WithStandIn().With("Tts:CacheMaxMegabytes", "1");
        factory.UseRecordingModel();
        var client = factory.CreateClient();
        var memory = (MemoryCache)factory.Services.GetRequiredService<IMemoryCache>();

        // Act
        long largest = 0;
        var stored = 0L;
        for (var i = 0; i < 12; i++)
        {
            using var response = await ServiceClient.PostSpeechAsync(client,
                new { model = "tts-1", input = $"Announcement number {i}. {Prompt} {Prompt}", voice = "af_heart", response_format = "wav" });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            stored += (await response.Content.ReadAsByteArrayAsync()).Length;
            largest = Math.Max(largest, memory.GetCurrentStatistics()!.CurrentEstimatedSize ?? 0);
        }

        // Assert: more audio went through than the bound, some of it is held, never more than the bound.
        Assert.True(stored > 2 * 1024 * 1024, $"only {stored} bytes went through");
        Assert.InRange(largest, 1, 1024 * 1024);
    }

    [Fact]
    public async Task WithTheCacheOffEveryRequestIsSynthesizedAndCarriesNoCacheHeaders()
    {
        // Arrange
        using var factory = new ServiceFactory().WithStandIn().With("Tts:CacheMaxMegabytes", "0");
        var model = factory.UseRecordingModel();
        var client = factory.CreateClient();
        var request = new { model = "tts-1", input = Prompt, voice = "af_heart", response_format = "mp3" };

        // Act
        using var first = await ServiceClient.PostSpeechAsync(client, request);
        var calls = model.Calls.Count;
        using var second = await ServiceClient.PostSpeechAsync(client, request);

        // Assert
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.False(second.Headers.Contains("X-Cache"));
        Assert.Null(second.Headers.ETag);
        Assert.Equal(2 * calls, model.Calls.Count);
    }

    [Fact]
    public async Task ReplicasShareTheCacheThroughRedisAndAnotherModelFileNeverGetsTheOldModelsAudio()
    {
        // Arrange: three services on one Redis; the first two load the same model file, the third another export.
        await using var redis = await RedisServer.StartAsync();
        using var first = new ServiceFactory().WithStandIn().With("ConnectionStrings:redis", redis.ConnectionString);
        using var sameModel = new ServiceFactory().WithStandIn().With("ConnectionStrings:redis", redis.ConnectionString);
        using var otherModel = new ServiceFactory().WithStandIn(StandInModelOptions.ExportB).With("ConnectionStrings:redis", redis.ConnectionString);
        first.UseRecordingModel();
        var sameModelCalls = sameModel.UseRecordingModel();
        var otherModelCalls = otherModel.UseRecordingModel();
        var request = new { model = "tts-1", input = Prompt, voice = "af_heart", response_format = "mp3" };

        // Act
        using var made = await ServiceClient.PostSpeechAsync(first.CreateClient(), request);
        var audio = await made.Content.ReadAsByteArrayAsync();
        using var shared = await ServiceClient.PostSpeechAsync(sameModel.CreateClient(), request);
        using var fresh = await ServiceClient.PostSpeechAsync(otherModel.CreateClient(), request);

        // Assert
        Assert.Equal("miss", Header(made, "X-Cache"));
        Assert.Equal("hit", Header(shared, "X-Cache"));
        Assert.Equal(audio, await shared.Content.ReadAsByteArrayAsync());
        Assert.Empty(sameModelCalls.Calls);
        Assert.Equal("miss", Header(fresh, "X-Cache"));
        Assert.NotEmpty(otherModelCalls.Calls);
        Assert.NotEqual(made.Headers.ETag, fresh.Headers.ETag);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;
}

public sealed class SpeechCacheKeyTests : IDisposable
{
    private static readonly VoicePack Heart = new("af_heart", 'a', new float[VoicePack.Rows * VoicePack.StyleSize]);
    private static readonly VoicePack Mix = new("af_bella(2)+af_sky(1)", 'a', new float[VoicePack.Rows * VoicePack.StyleSize]);
    private static readonly SpeechJob Job = new("Please hold.", Heart, KokoroLanguage.All['a'], 1f, NormalizationOptions.Default);
    private static readonly SpeechOutput Mp3 = new(new AudioEncoding(AudioFormat.Mp3), Stream: true, SpeechBody.Audio);

    private readonly ServiceProvider _services = new ServiceCollection()
        .AddMetrics().AddMemoryCache().AddHybridCache().Services.BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    public static TheoryData<string, SpeechJob, SpeechOutput, string> Changes => new()
    {
        { "text", Job with { Text = "Please hold!" }, Mp3, "kokoro:aa" },
        { "voice", Job with { Voice = Mix }, Mp3, "kokoro:aa" },
        { "language", Job with { Language = KokoroLanguage.All['b'] }, Mp3, "kokoro:aa" },
        { "speed", Job with { Speed = 1.1f }, Mp3, "kokoro:aa" },
        { "volume", Job with { Volume = 0.5f }, Mp3, "kokoro:aa" },
        { "normalization", Job with { Normalization = NormalizationOptions.Default with { UrlNormalization = false } }, Mp3, "kokoro:aa" },
        { "format", Job, Mp3 with { Encoding = new AudioEncoding(AudioFormat.Opus) }, "kokoro:aa" },
        { "sample rate", Job, Mp3 with { Encoding = new AudioEncoding(AudioFormat.Mp3, 16_000) }, "kokoro:aa" },
        { "streaming", Job, Mp3 with { Stream = false }, "kokoro:aa" },
        { "model file", Job, Mp3, "kokoro:bb" },
        { "engine", Job, Mp3, "espeak-ng" },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void EveryInputTheAudioDependsOnChangesTheKeyAndTheETag(string change, SpeechJob job, SpeechOutput output, string identity)
    {
        var cache = Create();

        var original = cache.KeyFor(Job, Mp3, new Engine("kokoro:aa"))!;
        var changed = cache.KeyFor(job, output, new Engine(identity))!;

        Assert.True(original.Key != changed.Key, $"changing the {change} kept the key");
        Assert.NotEqual(original.ETag, changed.ETag);
    }

    [Fact]
    public void TheSameRequestGetsTheSameKeyAndAQuotedETag()
    {
        var cache = Create();

        var first = cache.KeyFor(Job, Mp3, new Engine("kokoro:aa"))!;
        var second = cache.KeyFor(Job with { }, Mp3 with { }, new Engine("kokoro:aa"))!;

        Assert.Equal(first, second);
        Assert.Matches("^\"[0-9a-f]{32}\"$", first.ETag);
    }

    [Fact]
    public void NothingIsCacheableWhileTheEngineCannotSayWhichModelItRunsNorForCaptionsSseOrDownloads()
    {
        var cache = Create();

        Assert.Null(cache.KeyFor(Job, Mp3, new Engine(null)));
        Assert.Null(cache.KeyFor(Job, Mp3 with { Body = SpeechBody.Sse }, new Engine("kokoro:aa")));
        Assert.Null(cache.KeyFor(Job, Mp3 with { Body = SpeechBody.Captions }, new Engine("kokoro:aa")));
        Assert.Null(cache.KeyFor(Job, Mp3 with { DownloadFormat = AudioFormat.Mp3 }, new Engine("kokoro:aa")));
    }

    [Fact]
    public void AnEntryRoundTripsThroughItsBytesAndForeignBytesReadAsAMiss()
    {
        var entry = new CachedSpeech("audio/mpeg", "attachment; filename=speech.mp3", "kokoro", 1.25, [1, 2, 3, 255]);

        var back = CachedSpeech.FromBytes(entry.ToBytes());

        Assert.NotNull(back);
        Assert.Equal(entry with { Body = [] }, back with { Body = [] });
        Assert.Equal(entry.Body, back.Body);
        Assert.Null(CachedSpeech.FromBytes([9, 0, 0]));
        Assert.Null(CachedSpeech.FromBytes([1, 200, 0, 0, 0]));
    }

    private SpeechCache Create() => new(
        _services.GetRequiredService<Microsoft.Extensions.Caching.Hybrid.HybridCache>(),
        _services.GetRequiredService<IMemoryCache>(),
        Microsoft.Extensions.Options.Options.Create(new TtsOptions()),
        _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

    private sealed class Engine(string? identity) : ISpeechEngine
    {
        public string Name => "test";

        public string ModelName => "test";

        public string? Identity => identity;

        public IAsyncEnumerable<SpeechChunk> SynthesizeAsync(SpeechJob job, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
