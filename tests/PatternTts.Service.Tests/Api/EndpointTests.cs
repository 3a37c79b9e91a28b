using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenAI;
using OpenAI.Audio;

namespace PatternTts.Service.Tests.Api;

/// <summary>Everything around the speech call that clients and operators read: voices, models, health, docs, metrics.</summary>
public sealed class EndpointTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task OfficialOpenAiClientGetsDecodableSpeech()
    {
        // Arrange: the SDK as client code uses it, pointed at the service (the endpoint must include /v1).
        var http = factory.CreateClient();
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/v1"),
            Transport = new HttpClientPipelineTransport(http),
        };
        var audio = new OpenAIClient(new ApiKeyCredential("sk-test"), options).GetAudioClient("tts-1");

        // Act
        BinaryData speech = await audio.GenerateSpeechAsync(
            "The official client works unchanged.",
            GeneratedSpeechVoice.Alloy,
            new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Wav, SpeedRatio = 1.0f });

        // Assert
        var decoded = await FfmpegProbe.DecodeAsync(speech.ToArray(), "wav");
        Assert.Equal(24_000, decoded.SampleRate);
        Assert.Equal(1, decoded.Channels);
        Assert.True(decoded.Duration.TotalSeconds > 1);
        Assert.True(FfmpegProbe.Rms(decoded.Samples) > 0.01);
    }

    [Fact]
    public async Task OfficialOpenAiClientSeesErrorsAsClientResultExceptions()
    {
        var http = factory.CreateClient();
        var options = new OpenAIClientOptions { Endpoint = new Uri(http.BaseAddress!, "/v1"), Transport = new HttpClientPipelineTransport(http) };
        var audio = new OpenAIClient(new ApiKeyCredential("sk-test"), options).GetAudioClient("tts-1");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => audio.GenerateSpeechAsync(new string('x', 6000), GeneratedSpeechVoice.Alloy));

        Assert.Equal(400, error.Status);
        Assert.Contains("5000", error.Message);
    }

    [Fact]
    public async Task VoiceListHasEveryKokoroVoiceAndTheOpenAiNames()
    {
        var client = factory.CreateClient();

        using var voices = JsonDocument.Parse(await client.GetStringAsync("/v1/audio/voices"));
        var legacy = JsonSerializer.Deserialize<string[]>(await client.GetStringAsync("/v1/audio/voices?legacy=true"))!;

        var entries = voices.RootElement.GetProperty("voices").EnumerateArray().ToList();
        var ids = entries.Select(v => v.GetProperty("id").GetString()).ToList();
        Assert.Equal(54, legacy.Length);
        Assert.Contains("af_heart", legacy);
        Assert.All(legacy, id => Assert.Contains(id, ids));
        Assert.All(new[] { "alloy", "ash", "ballad", "coral", "echo", "fable", "onyx", "nova", "sage", "shimmer", "verse", "marin", "cedar", "af", "am" }, name => Assert.Contains(name, ids));
        var bella = entries.Single(v => v.GetProperty("id").GetString() == "af_bella");
        Assert.Equal("English (US)", bella.GetProperty("language").GetString());
        Assert.Equal("female", bella.GetProperty("gender").GetString());
    }

    [Fact]
    public async Task ModelsListTheIdsTheSpeechApiAccepts()
    {
        var client = factory.CreateClient();

        using var models = JsonDocument.Parse(await client.GetStringAsync("/v1/models"));
        var one = await client.GetAsync("/v1/models/tts-1");
        var missing = await client.GetAsync("/v1/models/whisper-1");

        var ids = models.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Contains("tts-1", ids);
        Assert.Contains("kokoro", ids);
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("model_not_found", (await ServiceClient.ReadErrorAsync(missing)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task HealthSaysTruthfullyThatDevelopmentFellBackToEspeak()
    {
        var client = factory.CreateClient();

        using var health = JsonDocument.Parse(await client.GetStringAsync("/health"));
        var ready = await client.GetAsync("/ready");
        var alive = await client.GetAsync("/alive");

        var root = health.RootElement;
        Assert.Equal("healthy", root.GetProperty("status").GetString());
        Assert.Equal("pattern-tts-service", root.GetProperty("service").GetString());
        Assert.Equal("1.0.0", root.GetProperty("version").GetString());
        Assert.Equal("espeak-ng", root.GetProperty("model").GetString());
        Assert.Contains("fallback", root.GetProperty("warning").GetString());
        Assert.True(root.TryGetProperty("port", out _));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task DocsRedocOpenApiAndMetricsAreServed()
    {
        var client = factory.CreateClient();
        await ServiceClient.SpeakAsync(client, "Count me.", "pcm", stream: false);

        var docs = await client.GetAsync("/docs/index.html");
        var redoc = await client.GetAsync("/redoc/index.html");
        using var openApi = JsonDocument.Parse(await client.GetStringAsync("/openapi.json"));
        var metrics = await client.GetStringAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal(HttpStatusCode.OK, redoc.StatusCode);
        Assert.True(openApi.RootElement.GetProperty("paths").TryGetProperty("/v1/audio/speech", out _));
        Assert.Contains("tts_requests", metrics);
    }
}

/// <summary>Outside Development, a missing model makes the service not ready instead of serving the robot voice.</summary>
public sealed class ProductionReadinessTests
{
    [Fact]
    public async Task WithoutTheModelProductionIsNotReadyAndRefusesSpeech()
    {
        using var factory = new ServiceFactory().InEnvironment("Production");
        var client = factory.CreateClient();

        var ready = (await client.GetAsync("/ready")).StatusCode;
        using var health = JsonDocument.Parse(await client.GetStringAsync("/health"));
        var speech = await ServiceClient.PostSpeechAsync(client, new { model = "tts-1", input = "Hello.", voice = "alloy" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.Equal("degraded", health.RootElement.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, speech.StatusCode);
        var error = await ServiceClient.ReadErrorAsync(speech);
        Assert.Equal("model_not_ready", error.GetProperty("code").GetString());

        // Clients get a short reason; the path and the command to fix it stay in the log.
        foreach (var told in new[] { health.RootElement.GetProperty("reason").GetString(), error.GetProperty("message").GetString() })
        {
            Assert.Equal("The speech engine is not ready; the service's log says why.", told);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);
    }

    [Fact]
    public async Task WithTheModelProductionIsReadyAndServesKokoro()
    {
        using var factory = new ServiceFactory().WithStandIn().InEnvironment("Production");
        factory.UseRecordingModel();
        var client = factory.CreateClient();

        using var health = JsonDocument.Parse(await client.GetStringAsync("/health"));
        var speech = await ServiceClient.PostSpeechAsync(client, new { model = "tts-1", input = "Hello.", voice = "sage" });

        Assert.Equal(HttpStatusCode.OK, speech.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/ready")).StatusCode);
        Assert.Equal("kokoro-v1.0", health.RootElement.GetProperty("model").GetString());
        Assert.Equal("kokoro", Assert.Single(speech.Headers.GetValues("X-Tts-Engine")));
    }

    [Theory]
    [InlineData("TTS_LOG_LEVEL", "LOUD", "TTS_LOG_LEVEL")]
    [InlineData("TTS_ENGINE", "gpt", "TTS_ENGINE")]
    [InlineData("TTS_MAX_TEXT_LENGTH", "0", "MaxTextLength")]
    [InlineData("TTS_PORT", "eighty", "Tts:Port")]
    public async Task BadSettingsStopTheServiceAtStartNamingTheKey(string variable, string value, string named)
    {
        // Arrange: the real service process, as an operator starts it, with one bad variable.
        await using var process = LocalProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "PatternTts.Service.dll")],
            new Dictionary<string, string> { [variable] = value, ["ASPNETCORE_URLS"] = "http://127.0.0.1:0", ["TTS_MODEL_PATH"] = "/nonexistent" });

        // Act
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        // Assert
        Assert.NotEqual(0, exitCode);
        Assert.Contains(named, process.Output);
    }
}

public sealed class DevEndpointSwitchTests
{
    [Fact]
    public async Task OperatorsCanCloseTheDevEndpoints()
    {
        using var factory = new ServiceFactory().With("Tts:EnableDevEndpoints", "false");
        var client = factory.CreateClient();

        var phonemize = await client.PostAsJsonAsync("/dev/phonemize", new { text = "hello", language = "a" });
        var speech = await ServiceClient.PostSpeechAsync(client, new { model = "tts-1", input = "Still speaking.", voice = "alloy", response_format = "pcm" });

        Assert.Equal(HttpStatusCode.NotFound, phonemize.StatusCode);
        Assert.Equal("not_found", (await ServiceClient.ReadErrorAsync(phonemize)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, speech.StatusCode);
    }
}

/// <summary>Outside Development the developer surfaces are closed unless switched on.</summary>
public sealed class ProductionDefaultsTests
{
    [Theory]
    [InlineData("/docs/index.html")]
    [InlineData("/redoc/index.html")]
    [InlineData("/openapi.json")]
    [InlineData("/web")]
    public async Task ProductionDoesNotServeTheDeveloperPages(string path)
    {
        using var factory = new ServiceFactory().InEnvironment("Production");

        using var response = await factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ProductionDoesNotServeTheDevEndpoints()
    {
        using var factory = new ServiceFactory().InEnvironment("Production");

        using var response = await ServiceClient.PostAsync(factory.CreateClient(), "/dev/phonemize", new { text = "hello" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (await ServiceClient.ReadErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task ProductionServesWhatTheOperatorSwitchedOn()
    {
        using var factory = new ServiceFactory().InEnvironment("Production")
            .With("Tts:EnableDocs", "true")
            .With("Tts:EnableWebPage", "true")
            .With("Tts:EnableDevEndpoints", "true");
        var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/openapi.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/web")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ServiceClient.PostAsync(client, "/dev/phonemize", new { text = "hello" })).StatusCode);
    }

    [Fact]
    public void ASwitchThatIsNeitherAutoNorABooleanStopsTheServiceAtStart()
    {
        using var factory = new ServiceFactory().With("Tts:EnableDocs", "sometimes");

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Tts:EnableDocs must be auto, true or false", error.ToString());
    }
}
