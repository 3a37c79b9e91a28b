using System.Net.Http.Json;
using System.Net;
using System.Text;
using System.Text.Json;

namespace PatternTts.Service.Tests.Api;

/// <summary>Every refusal comes back in OpenAI's error shape with the right status, and the service keeps serving.</summary>
public sealed class ErrorTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    public static TheoryData<string, string, int, string?, string> Cases => new()
    {
        { """{"model":"tts-1","input":"","voice":"alloy"}""", "application/json", 400, "input", "empty_input" },
        { """{"model":"tts-1","input":"   ","voice":"alloy"}""", "application/json", 400, "input", "empty_input" },
        { """{"model":"tts-1","voice":"alloy"}""", "application/json", 400, "input", "empty_input" },
        { $$"""{"model":"tts-1","input":"{{new string('a', 5001)}}","voice":"alloy"}""", "application/json", 400, "input", "input_too_long" },
        { """{"model":"tts-1","input":"hi","voice":"no_such_voice"}""", "application/json", 400, "voice", "voice_not_found" },
        { """{"model":"tts-1","input":"hi","voice":"af_bella(x)+af_sky"}""", "application/json", 400, "voice", "invalid_voice_expression" },
        { """{"model":"tts-9","input":"hi","voice":"alloy"}""", "application/json", 400, "model", "model_not_found" },
        { """{"input":"hi","voice":"alloy"}""", "application/json", 400, "model", "missing_required_parameter" },
        { """{"model":"tts-1","input":"hi","voice":"alloy","response_format":"ogg"}""", "application/json", 400, "response_format", "invalid_response_format" },
        { """{"model":"tts-1","input":"hi","voice":"alloy","speed":0.1}""", "application/json", 400, "speed", "invalid_speed" },
        { """{"model":"tts-1","input":"hi","voice":"alloy","speed":4.5}""", "application/json", 400, "speed", "invalid_speed" },
        { """{"model":"tts-1","input":"hi","voice":"alloy","speed":"fast"}""", "application/json", 400, "speed", "invalid_type" },
        { """{"model":"tts-1","input":"hi","voice":"alloy","stream_format":"ws"}""", "application/json", 400, "stream_format", "invalid_stream_format" },
        { """{"model":"tts-1","input":"hi","voice":"jf_alpha"}""", "application/json", 400, "voice", "unsupported_language" },
        { """{"model":"tts-1","input":"hi","voice":"alloy","lang_code":"q"}""", "application/json", 400, "lang_code", "invalid_language" },
        { """{"model":"tts-1","input":"hi","voice":"alloy","lang_code":"z"}""", "application/json", 400, "lang_code", "unsupported_language" },
        { """{"model":"tts-1","input":"hi",""", "application/json", 400, null, "invalid_json" },
        { """["tts-1"]""", "application/json", 400, null, "invalid_json" },
        { "model=tts-1&input=hi", "application/x-www-form-urlencoded", 415, null, "unsupported_media_type" },
        { """{"model":"tts-1","input":"<<<>>>","voice":"alloy","response_format":"pcm"}""", "application/json", 400, "input", "nothing_to_speak" },
        { """{"model":"tts-1","input":"~","voice":"alloy","response_format":"aac"}""", "application/json", 400, "input", "nothing_to_speak" },
        { """{"model":"tts-1","input":"\\","voice":"alloy","response_format":"wav"}""", "application/json", 400, "input", "nothing_to_speak" },
        { """{"model":"tts-1","input":"hi\ud800","voice":"alloy"}""", "application/json", 400, "input", "invalid_type" },
        { """{"model":"tts-1","input":"hi","voice":"af_bella+af_sky+af_heart+af_nicole+af_sarah+am_adam+am_michael+bf_emma+bm_george"}""", "application/json", 400, "voice", "too_many_voices" },
        { $$"""{"model":"tts-1","input":"hi","voice":"{{string.Join('+', Enumerable.Repeat("af_bella", 40))}}"}""", "application/json", 400, "voice", "voice_expression_too_long" },
        { """{"model":"tts-1","input":"hi","voice":"af_bella-af_bella"}""", "application/json", 400, "voice", "invalid_voice_expression" },
    };

    public static TheoryData<string, string, string?, string> DevCases => new()
    {
        { "/dev/phonemize", """{"text":"a [pause:99999999999999999ms] b"}""", null, "" },
        { "/dev/phonemize", """{"text":"a [pause:922337203686s] b"}""", null, "" },
        { "/v1/audio/voices/combine", "\"\\ud800\"", "voices", "invalid_json" },
        { "/v1/audio/voices/combine", """["af_bella","\udc00"]""", "voices", "invalid_json" },
        { "/v1/audio/voices/combine", "\"af_bella+af_sky+af_heart+af_nicole+af_sarah+am_adam+am_michael+bf_emma+bm_george\"", "voices", "too_many_voices" },
    };

    /// <summary>Input that once made a 500: each is now a 200 (code empty) or a 4xx naming the field.</summary>
    [Theory]
    [MemberData(nameof(DevCases))]
    public async Task ClientInputThatOnceFailedTheServiceIsAnsweredWithoutAServerError(string path, string body, string? param, string code)
    {
        // Act
        var response = await factory.CreateClient().PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        // Assert
        if (code.Length == 0)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return;
        }

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ServiceClient.ReadErrorAsync(response);
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("/v1/audio/speech", """{"model":"tts-1","input":"hi","voice":"alloy","speed":"fast"}""", "speed", "a number")]
    [InlineData("/v1/audio/speech", """{"model":"tts-1","input":"hi","voice":"alloy","stream":"yes"}""", "stream", "true or false")]
    [InlineData("/v1/audio/speech", """{"model":"tts-1","input":42,"voice":"alloy"}""", "input", "a string")]
    [InlineData("/dev/phonemize", """{"text":["a"]}""", "text", "a string")]
    [InlineData("/dev/generate_from_phonemes", """{"phonemes":"a","speed":true}""", "speed", "a number")]
    public async Task AValueOfTheWrongTypeIsNamedByItsFieldAndWhatItExpectsWithoutDotNetTypes(string path, string body, string field, string expected)
    {
        // Act
        var response = await factory.CreateClient().PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ServiceClient.ReadErrorAsync(response);
        var message = error.GetProperty("message").GetString()!;
        Assert.Equal(field, error.GetProperty("param").GetString());
        Assert.Equal($"Invalid value for '{field}': expected {expected}.", message);
        Assert.DoesNotContain("System.", message);
        Assert.DoesNotContain("PatternTts", message);
    }

    [Fact]
    public async Task TheLongestVoiceExpressionKeepsTheResponseHeadersSmall()
    {
        // Arrange: eight voices with long weights, padded to exactly the expression limit.
        string[] names = ["af_bella", "af_sky", "af_heart", "af_nicole", "af_sarah", "am_adam", "am_michael", "bf_emma"];
        var expression = string.Join('+', names.Select(n => $"{n}(1.00000000000001)"));
        expression += new string(' ', VoiceStore.MaxExpressionLength - expression.Length);

        // Act
        using var response = await factory.CreateClient().PostAsJsonAsync("/v1/audio/voices/combine", expression);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var headerBytes = response.Headers.Concat(response.Content.Headers).Sum(h => h.Key.Length + h.Value.Sum(v => v.Length));
        Assert.InRange(headerBytes, 1, 2048);
    }

    [Fact]
    public async Task OversizedCombineBodyIsRefusedBeforeItIsRead()
    {
        var body = "\"" + string.Join('+', Enumerable.Repeat("af_bella", 100_000)) + "\"";

        var response = await factory.CreateClient().PostAsync("/v1/audio/voices/combine", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", (await ServiceClient.ReadErrorAsync(response)).GetProperty("code").GetString());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadSpeechRequestsGetTheOpenAiErrorShapeAndTheServiceStaysUp(string body, string contentType, int status, string? param, string code)
    {
        // Arrange
        var client = factory.CreateClient();

        // Act
        var response = await client.PostAsync("/v1/audio/speech", new StringContent(body, Encoding.UTF8, contentType));

        // Assert
        Assert.Equal(status, (int)response.StatusCode);
        var error = await ServiceClient.ReadErrorAsync(response);
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));

        var after = await ServiceClient.PostSpeechAsync(client, new { model = "tts-1", input = "Still here.", voice = "alloy", response_format = "pcm" });
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task OversizedBodyIsRefusedBeforeItIsRead()
    {
        var client = factory.CreateClient();
        var body = $$"""{"model":"tts-1","voice":"alloy","input":"hi","padding":"{{new string('x', 2_000_000)}}"}""";

        var response = await client.PostAsync("/v1/audio/speech", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", (await ServiceClient.ReadErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task UnknownVoiceErrorNamesTheVoice()
    {
        var response = await ServiceClient.PostSpeechAsync(factory.CreateClient(), new { model = "tts-1", input = "hi", voice = "zelda" });

        Assert.Contains("'zelda'", (await ServiceClient.ReadErrorAsync(response)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task UnknownRoutesAndMethodsAnswerInTheSameShape()
    {
        var client = factory.CreateClient();

        var missing = await client.GetAsync("/v1/nothing-here");
        var wrongMethod = await client.GetAsync("/v1/audio/speech");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("not_found", (await ServiceClient.ReadErrorAsync(missing)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.True((await ServiceClient.ReadErrorAsync(wrongMethod)).TryGetProperty("param", out _));
    }
}
