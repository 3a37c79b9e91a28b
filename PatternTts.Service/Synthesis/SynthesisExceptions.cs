namespace PatternTts.Service.Synthesis;

/// <summary>The engine cannot serve now (model missing or still loading): the API answers 503.</summary>
/// <remarks>The message may hold file paths and operator commands: outside Development clients get <see cref="PublicMessage"/>.</remarks>
public sealed class EngineUnavailableException(string message) : Exception(message)
{
    public const string PublicMessage = "The speech engine is not ready; the service's log says why.";
}

/// <summary>The input holds nothing that can be spoken (only symbols, say): the API answers 400.</summary>
public sealed class NothingToSpeakException() : Exception("The input has nothing to speak: no words, numbers or pauses are left once symbols are set aside.");

/// <summary>The request asks for more audio or silence than one request may have: the API answers 400 naming the limit.</summary>
public sealed class SpeechTooLongException(string message, string code) : Exception(message)
{
    /// <summary><c>audio_too_long</c> or <c>pause_too_long</c>.</summary>
    public string Code { get; } = code;
}

/// <summary>A whole (not streamed) response outgrew what may be held in memory: the API answers 400 asking to stream.</summary>
public sealed class ResponseTooLargeException(long limit)
    : Exception($"The whole response would exceed {limit} bytes held in memory; ask for it with \"stream\": true.");

/// <summary>Every synthesis slot is taken and the queue is full: the API answers 429 with Retry-After.</summary>
public sealed class SynthesisBusyException() : Exception("The service is at capacity; retry shortly.");
