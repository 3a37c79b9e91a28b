using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PatternTts.Service.Api.Contracts;

// Every contract is snake_case, as OpenAI's and the legacy container's APIs are.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SpeechRequest))]
[JsonSerializable(typeof(OpenAiErrorResponse))]
[JsonSerializable(typeof(VoiceList))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(ModelDescription))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(SpeechAudioDelta))]
[JsonSerializable(typeof(SpeechAudioDone))]
[JsonSerializable(typeof(SpeechAudioTimestamps))]
[JsonSerializable(typeof(SocketClientMessage))]
[JsonSerializable(typeof(SavedVoice))]
[JsonSerializable(typeof(SocketSession))]
[JsonSerializable(typeof(SocketAudioDelta))]
[JsonSerializable(typeof(SocketAudioDone))]
[JsonSerializable(typeof(SocketAudioTimings))]
[JsonSerializable(typeof(SocketErrorEvent))]
[JsonSerializable(typeof(PhonemizeRequest))]
[JsonSerializable(typeof(PhonemizeResponse))]
[JsonSerializable(typeof(GenerateFromPhonemesRequest))]
[JsonSerializable(typeof(CaptionedSpeechResponse))]
[JsonSerializable(typeof(LegacyTestResponse))]
[JsonSerializable(typeof(AudioModelList))]
internal sealed partial class ServiceJsonContext : JsonSerializerContext
{
    /// <summary>Like <see cref="Default"/>, but messages keep their quotes readable ('voice', not \u0027voice\u0027).</summary>
    public static ServiceJsonContext Readable { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
