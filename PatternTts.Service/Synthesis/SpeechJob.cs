namespace PatternTts.Service.Synthesis;

/// <summary>One validated synthesis request, as the engines see it.</summary>
/// <param name="Streamed">Whether the audio goes out as it is made: only then is a short first model call worth it.</param>
public sealed record SpeechJob(
    string Text,
    VoicePack Voice,
    KokoroLanguage Language,
    float Speed,
    NormalizationOptions Normalization,
    float Volume = 1f,
    bool WordTimings = false,
    bool Streamed = true);

/// <summary>A word and when it is spoken, in seconds from the start of its chunk (or of the response, in captions).</summary>
public sealed record WordTiming(string Word, double StartTime, double EndTime);

/// <summary>
/// One piece of synthesized audio (24 kHz mono) ready for the encoder, with what it said.
/// </summary>
/// <param name="PhonemeTokens">Phoneme tokens the model spoke for it (0 for silence).</param>
/// <param name="Words">When the job asked for <see cref="SpeechJob.WordTimings"/>: the chunk's words, relative to its first sample.</param>
/// <param name="WordSource">Where <paramref name="Words"/> came from (<see cref="WordTimingSources"/>).</param>
/// <param name="ModelTime">How long the model call that made it took (zero for silence).</param>
public sealed record SpeechChunk(
    float[] Samples,
    string Text,
    int PhonemeTokens,
    Boundary End,
    IReadOnlyList<WordTiming>? Words = null,
    string? WordSource = null,
    TimeSpan ModelTime = default);
