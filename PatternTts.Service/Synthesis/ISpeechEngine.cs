namespace PatternTts.Service.Synthesis;

/// <summary>Something that speaks a job as a stream of 24 kHz chunks, the first as early as it can.</summary>
public interface ISpeechEngine
{
    /// <summary><c>kokoro</c> or <c>espeak-ng</c>: what the X-Tts-Engine header and /health report.</summary>
    string Name { get; }

    /// <summary>What /health reports as the model, e.g. <c>kokoro-v1.0</c>.</summary>
    string ModelName { get; }

    /// <summary>
    /// What the audio depends on besides the request (engine and exact model), for cache keys; null while the engine
    /// cannot speak, so nothing is cached under an unknown model.
    /// </summary>
    string? Identity { get; }

    IAsyncEnumerable<SpeechChunk> SynthesizeAsync(SpeechJob job, CancellationToken cancellationToken);
}
