using System.Text.Json.Serialization;

namespace PatternTts.Service.Api.Contracts;

/// <summary><c>POST /dev/phonemize</c>: a Kokoro language letter (a, b, e, f, h, i, p) or tag (en-us, en-gb…); default a.</summary>
public sealed record PhonemizeRequest(
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("language")] string? Language = null);

/// <param name="Tokens">Kokoro vocabulary ids of <paramref name="Phonemes"/>, without the pads.</param>
/// <param name="NormalizedText">The text as it will be spoken, after normalization.</param>
public sealed record PhonemizeResponse(
    [property: JsonPropertyName("phonemes")] string Phonemes,
    [property: JsonPropertyName("tokens")] IReadOnlyList<long> Tokens,
    [property: JsonPropertyName("normalized_text")] string NormalizedText);

/// <summary><c>POST /dev/generate_from_phonemes</c>: Kokoro phonemes spoken as given, skipping text processing.</summary>
public sealed record GenerateFromPhonemesRequest(
    [property: JsonPropertyName("phonemes")] string? Phonemes,
    [property: JsonPropertyName("voice")] string? Voice = null,
    [property: JsonPropertyName("speed")] double? Speed = null,
    [property: JsonPropertyName("response_format")] string? ResponseFormat = null);

public sealed record CaptionTimestamp(
    [property: JsonPropertyName("word")] string Word,
    [property: JsonPropertyName("start_time")] double StartTime,
    [property: JsonPropertyName("end_time")] double EndTime);

/// <summary>
/// <c>POST /dev/captioned_speech</c>: base64 audio with word times in seconds from the start of the response. When
/// streamed, each NDJSON line carries one chunk's audio and the times of the words it speaks.
/// </summary>
/// <param name="TimestampSource"><c>model_durations</c>, <c>espeak_events</c> or <c>estimated</c>; null for a line without words.</param>
public sealed record CaptionedSpeechResponse(
    [property: JsonPropertyName("audio")] string Audio,
    [property: JsonPropertyName("audio_format")] string AudioFormat,
    [property: JsonPropertyName("timestamps")] IReadOnlyList<CaptionTimestamp> Timestamps,
    [property: JsonPropertyName("timestamp_source")] string? TimestampSource);
