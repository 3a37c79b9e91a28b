using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;

namespace PatternTts.Service.Tests.StandIn;

/// <summary>Shortcuts for tests that need a running stand-in model rather than its file.</summary>
public static class StandInKokoro
{
    /// <summary>Writes the stand-in into <paramref name="directory"/> and loads it through the production runner.</summary>
    public static OnnxKokoroModel Create(string directory, StandInModelOptions? options = null)
    {
        var path = Path.Combine(directory, $"stand-in-{Guid.NewGuid():N}.onnx");
        return new OnnxKokoroModel(StandInModelBuilder.Write(path, options ?? StandInModelOptions.ExportA), 1, false,
            NullLogger<OnnxKokoroModel>.Instance);
    }
}

/// <summary>Loads models as production does, each wrapped in a <see cref="RecordingKokoroModel"/>.</summary>
public sealed class RecordingKokoroModelFactory(Func<int, CancellationToken, Task>? gate) : IKokoroModelFactory
{
    private readonly OnnxKokoroModelFactory _inner = new(NullLoggerFactory.Instance);

    /// <summary>The last model loaded, or null before the host loaded one.</summary>
    public RecordingKokoroModel? Model { get; private set; }

    public IKokoroModel Load(string path, TtsOptions options) => Model = new RecordingKokoroModel(_inner.Load(path, options), gate);
}

/// <summary>One call as a <see cref="RecordingKokoroModel"/> saw it.</summary>
public sealed record KokoroCall(long[] TokenIds, float[] Style, float Speed);

/// <summary>
/// Wraps a model, records every call, and can hold each call at a gate the test opens, so streaming tests can
/// observe the first audio before later chunks are synthesized without relying on wall-clock delays.
/// </summary>
public sealed class RecordingKokoroModel(IKokoroModel inner, Func<int, CancellationToken, Task>? gate = null) : IKokoroModel
{
    private readonly ConcurrentQueue<KokoroCall> _calls = new();
    private int _count;

    public KokoroModelInfo Info => inner.Info;

    public IReadOnlyList<KokoroCall> Calls => _calls.ToArray();

    public async Task<KokoroModelOutput> RunAsync(
        IReadOnlyList<long> tokenIds, ReadOnlyMemory<float> style, float speed, CancellationToken cancellationToken)
    {
        _calls.Enqueue(new KokoroCall(tokenIds.ToArray(), style.ToArray(), speed));
        var index = Interlocked.Increment(ref _count) - 1;
        if (gate is not null)
        {
            await gate(index, cancellationToken);
        }
        return await inner.RunAsync(tokenIds, style, speed, cancellationToken);
    }

    public void Dispose() => inner.Dispose();
}
