using System.Text.Json;
using System.Text.Json.Serialization;

namespace PatternTts.Service.Api.Contracts;

/// <summary>
/// <c>POST /v1/audio/speech</c>: OpenAI's fields plus the legacy container's extras, with the legacy defaults.
/// <c>voice</c> is a string or <c>{"id": "..."}</c>, which the reader folds into <see cref="Voice"/>.
/// </summary>
public sealed record SpeechRequest
{
    public string? Model { get; init; }

    public string? Input { get; init; }

    /// <summary>A voice id, alias or mix; OpenAI's newer <c>{"id": "..."}</c> form is read too.</summary>
    [JsonConverter(typeof(VoiceJsonConverter))]
    public string? Voice { get; init; }

    public string? Instructions { get; init; }

    public string? ResponseFormat { get; init; }

    public double? Speed { get; init; }

    public string? StreamFormat { get; init; }

    public bool? Stream { get; init; }

    /// <summary>Also keep the whole audio as a file and name it in <c>X-Download-Path</c> (legacy extension).</summary>
    public bool? ReturnDownloadLink { get; init; }

    /// <summary>The download's format; the response's when absent (legacy extension).</summary>
    public string? DownloadFormat { get; init; }

    public string? LangCode { get; init; }

    public double? VolumeMultiplier { get; init; }

    public NormalizationOptions? NormalizationOptions { get; init; }

    /// <summary>The rate of the audio (extension): 8000, 16000, 22050, 24000, 44100 or 48000; 24000 by default, 8000 for G.711.</summary>
    public int? SampleRate { get; init; }

    /// <summary>The samples inside a <c>wav</c> (extension): <c>pcm</c> (default), <c>ulaw</c> or <c>alaw</c>.</summary>
    public string? Codec { get; init; }

    /// <summary>With <c>stream_format: "sse"</c>, also send <c>speech.audio.timestamps</c> events (extension).</summary>
    public bool? IncludeTimestamps { get; init; }
}

public sealed record SpeechUsage(
    int InputTokens,
    int OutputTokens,
    int TotalTokens)
{
    /// <summary>Usage in the units the service has: phoneme tokens in, Kokoro's 25 ms audio frames out.</summary>
    public static SpeechUsage From(int phonemeTokens, long samples)
    {
        var frames = (int)(samples / IKokoroModel.SamplesPerDurationUnit);
        return new SpeechUsage(phonemeTokens, frames, phonemeTokens + frames);
    }
}

public sealed record SpeechAudioDelta(
    string Type,
    string Audio);

/// <summary>Words of the input and when they are spoken (extension event of the SSE stream and the speech socket).</summary>
public sealed record SpeechAudioTimestamps(
    string Type,
    IReadOnlyList<SpeechWordTimestamp> Timestamps)
{
    public static SpeechAudioTimestamps From(string type, IReadOnlyList<InputWordTiming> words) =>
        new(type, [.. words.Select(w => new SpeechWordTimestamp(w.Word, Math.Round(w.StartTime, 3), Math.Round(w.EndTime, 3), w.StartIndex, w.EndIndex))]);
}

/// <param name="StartIndex">Where the word starts in the input (UTF-16 offset), so a client can highlight it.</param>
/// <param name="EndIndex">Where it ends in the input (exclusive).</param>
public sealed record SpeechWordTimestamp(
    string Word,
    double StartTime,
    double EndTime,
    int StartIndex,
    int EndIndex);

public sealed record SpeechAudioDone(
    string Type,
    SpeechUsage Usage);

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
