namespace PatternTts.Service.Api.Contracts;

/// <summary><c>POST /dev/phonemize</c>: a Kokoro language letter (a, b, e, f, h, i, p) or tag (en-us, en-gb…); default a.</summary>
/// <param name="Stream">Plan the model calls of a streamed request (the default) or of one with <c>"stream": false</c>.</param>
public sealed record PhonemizeRequest(
    string? Text,
    string? Language = null,
    bool? Stream = null);

/// <param name="Tokens">Kokoro vocabulary ids of <paramref name="Phonemes"/>, without the pads.</param>
/// <param name="NormalizedText">The text as it will be spoken, after normalization.</param>
/// <param name="Chunks">The model calls a Kokoro synthesis of this text makes, in order.</param>
public sealed record PhonemizeResponse(
    string Phonemes,
    IReadOnlyList<long> Tokens,
    string NormalizedText,
    IReadOnlyList<PhonemizeChunk> Chunks);

/// <summary>One model call: the phonemes it speaks and their token ids, without the pads.</summary>
public sealed record PhonemizeChunk(
    string Phonemes,
    IReadOnlyList<long> Tokens);

/// <summary><c>POST /dev/generate_from_phonemes</c>: Kokoro phonemes spoken as given, skipping text processing.</summary>
public sealed record GenerateFromPhonemesRequest(
    string? Phonemes,
    string? Voice = null,
    double? Speed = null,
    string? ResponseFormat = null);

public sealed record CaptionTimestamp(
    string Word,
    double StartTime,
    double EndTime);

/// <summary>
/// <c>POST /dev/captioned_speech</c>: base64 audio with word times in seconds from the start of the response. When
/// streamed, each NDJSON line carries one chunk's audio and the times of the words it speaks.
/// </summary>
/// <param name="TimestampSource"><c>model_durations</c>, <c>espeak_events</c> or <c>estimated</c>; null for a line without words.</param>
public sealed record CaptionedSpeechResponse(
    string Audio,
    string AudioFormat,
    IReadOnlyList<CaptionTimestamp> Timestamps,
    string? TimestampSource);
