namespace PatternTts.Service.Synthesis;

/// <summary>The engine cannot serve now (model missing or still loading): the API answers 503.</summary>
public sealed class EngineUnavailableException(string message) : Exception(message);

/// <summary>The input holds nothing that can be spoken (only symbols, say): the API answers 400.</summary>
public sealed class NothingToSpeakException() : Exception("The input has nothing to speak: no words, numbers or pauses are left once symbols are set aside.");

/// <summary>Every synthesis slot is taken and the queue is full: the API answers 429 with Retry-After.</summary>
public sealed class SynthesisBusyException() : Exception("The service is at capacity; retry shortly.");
