using PatternTts.Service.Phonemes;
using PatternTts.Service.Text.Normalization;
using PatternTts.Service.Voices;

namespace PatternTts.Service.Pipeline;

/// <summary>One validated synthesis request, as the engines see it.</summary>
public sealed record SpeechJob(
    string Text,
    VoicePack Voice,
    KokoroLanguage Language,
    float Speed,
    NormalizationOptions Normalization,
    float Volume = 1f);

/// <summary>A word and when it is spoken, in seconds from the start of the whole response.</summary>
public sealed record WordTiming(string Word, double StartTime, double EndTime);

/// <summary>
/// One piece of synthesized audio (24 kHz mono) ready for the encoder, with what it said.
/// </summary>
/// <param name="PhonemeTokens">Phoneme tokens the model spoke for it (0 for silence).</param>
public sealed record SpeechChunk(float[] Samples, string Text, int PhonemeTokens, Boundary End);
