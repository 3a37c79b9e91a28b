namespace PatternTts.Service.Synthesis.Kokoro;

/// <summary>What one model call produced: 24 kHz mono samples and, where the export has them, per-token durations.</summary>
/// <param name="Audio">The flattened audio output, whatever rank the export declares.</param>
/// <param name="Durations">One value per input token including both pads (units of <see cref="IKokoroModel.SamplesPerDurationUnit"/> samples), or null.</param>
public sealed record KokoroModelOutput(float[] Audio, long[]? Durations);

/// <summary>What the loaded export looks like, read from its metadata rather than assumed.</summary>
/// <param name="StandIn">
/// What the file says it is instead of Kokoro (its <see cref="StandInMetadataKey"/> metadata, e.g. the benchmarks'
/// cost model), or null for a real export.
/// </param>
public sealed record KokoroModelInfo(
    string FilePath,
    string TokensInputName,
    string SpeedInputName,
    string SpeedElementType,
    string AudioOutputName,
    string? DurationOutputName,
    string? StandIn = null)
{
    /// <summary>The ONNX metadata key a generated model carries so it is never taken for Kokoro.</summary>
    public const string StandInMetadataKey = "pattern_tts_stand_in";
}

/// <summary>
/// One Kokoro ONNX session. Implementations are thread-safe (ONNX Runtime's Run is), so one instance serves
/// every request.
/// </summary>
public interface IKokoroModel : IDisposable
{
    KokoroModelInfo Info { get; }

    /// <summary>Maximum phoneme tokens per call, pads excluded.</summary>
    const int MaxPhonemeTokens = 510;

    /// <summary>Audio samples per unit of the predicted durations (Kokoro's decoder upsamples each frame to 600).</summary>
    const int SamplesPerDurationUnit = 600;

    /// <summary>
    /// Runs the model on phoneme token ids (without the pads: the model adds <c>[0, ids…, 0]</c>),
    /// one 256-float style row and a speed. Throws <see cref="InvalidDataException"/> when the output holds NaN or Inf.
    /// </summary>
    Task<KokoroModelOutput> RunAsync(
        IReadOnlyList<long> tokenIds,
        ReadOnlyMemory<float> style,
        float speed,
        CancellationToken cancellationToken);
}
