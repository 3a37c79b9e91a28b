namespace PatternTts.Service.Synthesis.Kokoro;

/// <summary>The product: text → phoneme chunks → Kokoro ONNX → shaped 24 kHz samples.</summary>
public sealed partial class KokoroEngine(
    KokoroModelHost host,
    SpeechTextPreparer preparer,
    ChunkPlanner planner,
    SpeechBudget budget,
    ILogger<KokoroEngine> logger) : ISpeechEngine
{
    public string Name => EngineNames.Kokoro;

    public string ModelName => host.Model?.Info.StandIn is { } standIn ? $"stand-in: {standIn}" : "kokoro-v1.0";

    public string? Identity => host.ModelSha256 is { } sha256 ? $"{EngineNames.Kokoro}:{sha256}" : null;

    public async IAsyncEnumerable<SpeechChunk> SynthesizeAsync(SpeechJob job, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var model = host.Model ?? throw new EngineUnavailableException(host.Reason ?? "The Kokoro model is not loaded.");
        var inputs = budget.Check(preparer.Prepare(job.Text, job.Normalization, job.Language), job.Speed);
        await foreach (var item in planner.PlanAsync(inputs, job.Language, job.Streamed, cancellationToken))
        {
            switch (item)
            {
                case PauseItem pause:
                    yield return new SpeechChunk(ChunkShaper.Silence(pause.Duration), string.Empty, 0, Boundary.None);
                    break;
                case PhonemeChunk chunk when chunk.Tokens.Count > 0:
                    yield return await SpeakAsync(model, chunk, job.Voice, job.Speed, job.Volume, job.WordTimings, cancellationToken);
                    break;
            }
        }
    }

    /// <summary>
    /// Speaks Kokoro phonemes exactly as given, cut into model calls by the planner. There is no espeak-ng
    /// fallback: espeak cannot read Kokoro phonemes.
    /// </summary>
    public async IAsyncEnumerable<SpeechChunk> SpeakPhonemesAsync(
        string phonemes, VoicePack voice, float speed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var model = host.Model ?? throw new EngineUnavailableException(
            $"Phoneme input needs the Kokoro model, which is not loaded: {host.Reason ?? "unknown reason"}");
        budget.Check([new TextSegment.Phonemes(phonemes, string.Empty)], speed);
        foreach (var chunk in planner.PlanPhonemes(phonemes))
        {
            yield return await SpeakAsync(model, chunk, voice, speed, volume: 1f, wordTimings: false, cancellationToken);
        }
    }

    private async Task<SpeechChunk> SpeakAsync(
        IKokoroModel model, PhonemeChunk chunk, VoicePack voice, float speed, float volume, bool wordTimings, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var output = await model.RunAsync(chunk.Tokens, voice.StyleFor(chunk.Tokens.Count), speed, cancellationToken);
        var modelTime = Stopwatch.GetElapsedTime(started);
        LogChunk(logger, chunk.Tokens.Count, output.Audio.Length, modelTime.TotalMilliseconds);
        var samples = ChunkShaper.Shape(output.Audio, chunk.End, speed, volume, out var trimmed);
        if (!wordTimings)
        {
            return new SpeechChunk(samples, chunk.Text, chunk.Tokens.Count, chunk.End, ModelTime: modelTime);
        }

        var voiced = samples.Length - ChunkShaper.PauseAfter(chunk.End, speed);
        var (words, source) = WordAligner.FromDurations(
            chunk.Text, chunk.Phonemes, output.Durations, IKokoroModel.SamplesPerDurationUnit, output.Audio, trimmed, voiced);
        return new SpeechChunk(samples, chunk.Text, chunk.Tokens.Count, chunk.End, words, source, modelTime);
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Debug, Message = "Kokoro chunk: {Tokens} tokens → {Samples} samples in {Milliseconds:F1} ms")]
    private static partial void LogChunk(ILogger logger, int tokens, int samples, double milliseconds);
}
