namespace PatternTts.Service.Api.Contracts;

/// <summary>
/// One JSON message from a speech socket's client; <see cref="Type"/> says which fields count:
/// <c>session.update</c> (the settings), <c>input.append</c> (<see cref="Text"/>), <c>input.flush</c>, <c>input.end</c>, <c>response.cancel</c>.
/// </summary>
public sealed record SocketClientMessage
{
    public string? Type { get; init; }

    public string? Text { get; init; }

    [System.Text.Json.Serialization.JsonConverter(typeof(VoiceJsonConverter))]
    public string? Voice { get; init; }

    public string? ResponseFormat { get; init; }

    public double? Speed { get; init; }

    public int? SampleRate { get; init; }

    public string? LangCode { get; init; }

    public NormalizationOptions? NormalizationOptions { get; init; }

    /// <summary>Send <c>audio.timings</c> events with the words' times.</summary>
    public bool? IncludeTimestamps { get; init; }

    /// <summary>Audio as binary frames (default) or, when false, base64 inside <c>audio.delta</c> JSON events.</summary>
    public bool? BinaryAudio { get; init; }
}

/// <summary>The settings a socket speaks with, as <c>session.updated</c> confirms them.</summary>
public sealed record SocketSession(
    string Type,
    string Voice,
    string ResponseFormat,
    int SampleRate,
    double Speed,
    string LangCode,
    bool IncludeTimestamps,
    bool BinaryAudio);

/// <summary>Audio as base64 JSON, when the client asked for it instead of binary frames.</summary>
public sealed record SocketAudioDelta(string Type, int ResponseId, string Audio);

/// <param name="Status"><c>completed</c>, or <c>cancelled</c> after <c>response.cancel</c>.</param>
/// <param name="AudioSeconds">Seconds of audio this response carried.</param>
public sealed record SocketAudioDone(string Type, int ResponseId, string Status, double AudioSeconds, SpeechUsage Usage);

/// <summary>Words of the text the client sent (offsets into all of it) and when they are spoken, from the socket's first audio.</summary>
public sealed record SocketAudioTimings(string Type, int ResponseId, IReadOnlyList<SpeechWordTimestamp> Timestamps);

/// <summary>An error in OpenAI's shape; the socket closes right after it.</summary>
public sealed record SocketErrorEvent(string Type, OpenAiError Error);
