using System.Text.Json;
using System.Text.Json.Serialization;

namespace PatternTts.Service.Api.Contracts;

/// <summary>
/// <c>POST /v1/audio/speech</c>: OpenAI's fields plus the legacy container's extras, with the legacy defaults.
/// <c>voice</c> is a string or <c>{"id": "..."}</c>, which the reader folds into <see cref="Voice"/>.
/// </summary>
public sealed record SpeechRequest
{
    [JsonPropertyName("model")]
    public string? Model { get; init; }

    [JsonPropertyName("input")]
    public string? Input { get; init; }

    /// <summary>A voice id, alias or mix; OpenAI's newer <c>{"id": "..."}</c> form is read too.</summary>
    [JsonPropertyName("voice")]
    [JsonConverter(typeof(VoiceJsonConverter))]
    public string? Voice { get; init; }

    [JsonPropertyName("instructions")]
    public string? Instructions { get; init; }

    [JsonPropertyName("response_format")]
    public string? ResponseFormat { get; init; }

    [JsonPropertyName("speed")]
    public double? Speed { get; init; }

    [JsonPropertyName("stream_format")]
    public string? StreamFormat { get; init; }

    [JsonPropertyName("stream")]
    public bool? Stream { get; init; }

    [JsonPropertyName("lang_code")]
    public string? LangCode { get; init; }

    [JsonPropertyName("volume_multiplier")]
    public double? VolumeMultiplier { get; init; }

    [JsonPropertyName("return_download_link")]
    public bool? ReturnDownloadLink { get; init; }

    [JsonPropertyName("normalization_options")]
    public NormalizationOptions? NormalizationOptions { get; init; }
}

public sealed record VoiceDescription(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("language")] string Language,
    [property: JsonPropertyName("gender")] string Gender,
    [property: JsonPropertyName("alias_of")] string? AliasOf = null);

public sealed record VoiceList([property: JsonPropertyName("voices")] IReadOnlyList<VoiceDescription> Voices);

public sealed record ModelDescription(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("owned_by")] string OwnedBy);

public sealed record ModelList(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("data")] IReadOnlyList<ModelDescription> Data);

public sealed record HealthResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("engine")] string Engine,
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("warning")] string? Warning);

public sealed record SpeechUsage(
    [property: JsonPropertyName("input_tokens")] int InputTokens,
    [property: JsonPropertyName("output_tokens")] int OutputTokens,
    [property: JsonPropertyName("total_tokens")] int TotalTokens)
{
    /// <summary>Usage in the units the service has: phoneme tokens in, Kokoro's 25 ms audio frames out.</summary>
    public static SpeechUsage From(int phonemeTokens, long samples)
    {
        var frames = (int)(samples / IKokoroModel.SamplesPerDurationUnit);
        return new SpeechUsage(phonemeTokens, frames, phonemeTokens + frames);
    }
}

public sealed record SpeechAudioDelta(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("audio")] string Audio);

public sealed record SpeechAudioDone(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("usage")] SpeechUsage Usage);

/// <summary>Reads <c>voice</c> as a string or as <c>{"id": "..."}</c>.</summary>
public sealed class VoiceJsonConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartObject:
                string? id = null;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var property = reader.GetString();
                    reader.Read();
                    if (property == "id" && reader.TokenType == JsonTokenType.String)
                    {
                        id = reader.GetString();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                return id ?? throw new JsonException("voice must be a string or an object with a string 'id'.");
            default:
                throw new JsonException("voice must be a string or an object with a string 'id'.");
        }
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
