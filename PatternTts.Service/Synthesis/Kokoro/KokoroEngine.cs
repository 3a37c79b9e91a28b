namespace PatternTts.Service.Synthesis.Kokoro;

/// <summary>The product: text → phoneme chunks → Kokoro ONNX → shaped 24 kHz samples.</summary>
public sealed partial class KokoroEngine(
    KokoroModelHost host,
    SpeechTextPreparer preparer,
    ChunkPlanner planner,
    ILogger<KokoroEngine> logger) : ISpeechEngine
{
    public string Name => EngineNames.Kokoro;

    public string ModelName => "kokoro-v1.0";

    public async IAsyncEnumerable<SpeechChunk> SynthesizeAsync(SpeechJob job, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var model = host.Model ?? throw new EngineUnavailableException(host.Reason ?? "The Kokoro model is not loaded.");
        var inputs = preparer.Prepare(job.Text, job.Normalization);
        await foreach (var item in planner.PlanAsync(inputs, job.Language, cancellationToken))
        {
            switch (item)
            {
                case PauseItem pause:
                    yield return new SpeechChunk(ChunkShaper.Silence(pause.Duration), string.Empty, 0, Boundary.None);
                    break;
                case PhonemeChunk chunk when chunk.Tokens.Count > 0:
                    var started = Stopwatch.GetTimestamp();
                    var output = await model.RunAsync(chunk.Tokens, job.Voice.StyleFor(chunk.Tokens.Count), job.Speed, cancellationToken);
                    LogChunk(logger, chunk.Tokens.Count, output.Audio.Length, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    var samples = ChunkShaper.Shape(output.Audio, chunk.End, job.Speed, job.Volume, out var trimmed);
                    if (!job.WordTimings)
                    {
                        yield return new SpeechChunk(samples, chunk.Text, chunk.Tokens.Count, chunk.End);
                        break;
                    }

                    var voiced = samples.Length - ChunkShaper.PauseAfter(chunk.End, job.Speed);
                    var (words, source) = WordAligner.ForKokoro(chunk.Text, chunk.Phonemes, output, trimmed, voiced);
                    yield return new SpeechChunk(samples, chunk.Text, chunk.Tokens.Count, chunk.End, words, source);
                    break;
            }
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Debug, Message = "Kokoro chunk: {Tokens} tokens → {Samples} samples in {Milliseconds:F1} ms")]
    private static partial void LogChunk(ILogger logger, int tokens, int samples, double milliseconds);
}

/// <summary>The engine cannot serve now (model missing or still loading): the API answers 503.</summary>
public sealed class EngineUnavailableException(string message) : Exception(message);
