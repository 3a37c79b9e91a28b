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
    };

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
