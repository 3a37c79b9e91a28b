using System.Diagnostics.Metrics;

namespace PatternTts.Service.Synthesis;

/// <summary>Which queue a model call waits in.</summary>
public enum SynthesisLane
{
    /// <summary>Short inputs, and the first call of a streamed request: what a listener is waiting to hear.</summary>
    Interactive,

    /// <summary>The rest of long inputs: books, articles, whole-file renders.</summary>
    Bulk,
}

/// <summary>What the scheduler knows of a request before it runs: how long its input is and whether it streams.</summary>
public sealed record SynthesisDemand(int InputCharacters, bool Streamed);

/// <summary>
/// Shares the synthesis slots between requests one model call at a time, so a new request's first audio never waits
/// for a whole long synthesis. A request is admitted while fewer than slots + queue length are in progress (past
/// that, <see cref="SynthesisBusyException"/>: 429 with Retry-After); each of its chunks then waits for a slot in its
/// lane. Interactive calls go first, bulk calls may never take the reserved slots, and a bulk call that has waited
/// past the aging limit goes before interactive ones, so long requests still progress. A cancelled request leaves at
/// the next chunk boundary (the running model call is told to stop as well).
/// </summary>
public sealed class SynthesisScheduler
{
    private readonly object _gate = new();
    private readonly LinkedList<Waiter> _interactive = new();
    private readonly LinkedList<Waiter> _bulk = new();
    private readonly TtsMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly Histogram<double> _waits;
    private readonly int _slots;
    private readonly int _bulkSlots;
    private readonly int _admissionLimit;
    private readonly int _interactiveMaxCharacters;
    private readonly TimeSpan _aging;
    private int _running;
    private int _runningBulk;
    private int _admitted;

    public SynthesisScheduler(IOptions<TtsOptions> options, TtsMetrics metrics, IMeterFactory meterFactory, TimeProvider time)
    {
        var settings = options.Value;
        _metrics = metrics;
        _time = time;
        _slots = settings.EffectiveMaxConcurrentSyntheses;
        _bulkSlots = Math.Min(_slots, settings.EffectiveBulkSlots);
        _admissionLimit = _slots + settings.MaxQueueLength;
        _interactiveMaxCharacters = settings.InteractiveMaxCharacters;
        _aging = TimeSpan.FromMilliseconds(settings.BulkAgingMilliseconds);

        var meter = meterFactory.Create(TtsMetrics.MeterName);
        _waits = meter.CreateHistogram<double>("tts.scheduler.wait", "s", "How long a model call waited for a synthesis slot, by lane.");
        meter.CreateObservableGauge("tts.scheduler.waiting", () => new[]
        {
            new Measurement<int>(WaitingIn(SynthesisLane.Interactive), new KeyValuePair<string, object?>("lane", "interactive")),
            new Measurement<int>(WaitingIn(SynthesisLane.Bulk), new KeyValuePair<string, object?>("lane", "bulk")),
        }, description: "Model calls waiting for a synthesis slot, by lane.");
        meter.CreateObservableGauge("tts.scheduler.running", () => Running, description: "Model calls holding a synthesis slot.");
        meter.CreateObservableGauge("tts.scheduler.admitted", () => Admitted, description: "Requests in progress (running or between model calls).");
    }

    /// <summary>Requests in progress: running a model call, waiting for one, or writing audio between calls.</summary>
    public int Admitted => Volatile.Read(ref _admitted);

    /// <summary>Model calls holding a slot now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Model calls waiting for a slot, in both lanes.</summary>
    public int Waiting => WaitingIn(SynthesisLane.Interactive) + WaitingIn(SynthesisLane.Bulk);

    public int WaitingIn(SynthesisLane lane)
    {
        lock (_gate)
        {
            return (lane == SynthesisLane.Interactive ? _interactive : _bulk).Count;
        }
    }

    /// <summary>The lane of a request's model call number <paramref name="call"/> (0 = first).</summary>
    public SynthesisLane LaneOf(SynthesisDemand demand, int call) =>
        demand.InputCharacters <= _interactiveMaxCharacters || (call == 0 && demand.Streamed)
            ? SynthesisLane.Interactive
            : SynthesisLane.Bulk;

    /// <summary>
    /// Runs <paramref name="synthesis"/> one chunk per slot: each step of the engine (one model call, or a pause) holds
    /// a slot only while it computes. From the second chunk on, the next step starts as soon as a chunk is handed out,
    /// so encoding and sending one chunk overlaps the model call of the next (one chunk ahead at most: a slow reader
    /// holds back the model); the first chunk is sent before the second call starts, for the earliest first audio.
    /// Throws <see cref="SynthesisBusyException"/> on the first step when too many requests are in progress.
    /// </summary>
    public async IAsyncEnumerable<SpeechChunk> RunAsync(
        IAsyncEnumerable<SpeechChunk> synthesis, SynthesisDemand demand, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Admit(LaneOf(demand, 0));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var chunks = synthesis.GetAsyncEnumerator(stop.Token);
        Task<bool>? step = null;
        try
        {
            var call = 0;
            step = StepAsync(chunks, LaneOf(demand, call++), stop.Token);
            while (await step)
            {
                var chunk = chunks.Current;
                if (call == 1)
                {
                    // The first chunk goes out before the next call starts: its encoding and send are the time to
                    // first audio, and a model call beside them would take the cores they need.
                    yield return chunk;
                    step = StepAsync(chunks, LaneOf(demand, call++), stop.Token);
                    continue;
                }

                step = StepAsync(chunks, LaneOf(demand, call++), stop.Token);
                yield return chunk;
            }

            step = null;
        }
        finally
        {
            if (step is not null)
            {
                // The caller left early (an error, a limit, a client gone): stop the step ahead and let it unwind.
                await stop.CancelAsync();
                await step.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            await chunks.DisposeAsync();
            Interlocked.Decrement(ref _admitted);
        }
    }

    private async Task<bool> StepAsync(IAsyncEnumerator<SpeechChunk> chunks, SynthesisLane lane, CancellationToken cancellationToken)
    {
        using (await AcquireAsync(lane, cancellationToken))
        {
            return await chunks.MoveNextAsync();
        }
    }

    /// <summary>Waits for a slot in <paramref name="lane"/>; dispose the result to give it back.</summary>
    public async ValueTask<Slot> AcquireAsync(SynthesisLane lane, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var waiter = new Waiter(lane, _time.GetTimestamp());
        lock (_gate)
        {
            (lane == SynthesisLane.Interactive ? _interactive : _bulk).AddLast(waiter.Node);
            Dispatch();
        }

        if (!waiter.Granted.Task.IsCompleted)
        {
            await using var registration = cancellationToken.Register(
                static state =>
                {
                    var (scheduler, waiting) = ((SynthesisScheduler, Waiter))state!;
                    scheduler.Cancel(waiting);
                },
                (this, waiter));
            try
            {
                await waiter.Granted.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new OperationCanceledException("The request was cancelled while waiting for a synthesis slot.", cancellationToken);
            }
        }

        _waits.Record(_time.GetElapsedTime(waiter.Enqueued).TotalSeconds, new KeyValuePair<string, object?>("lane", LaneName(lane)));
        return new Slot(this, lane);
    }

    private void Admit(SynthesisLane lane)
    {
        if (Interlocked.Increment(ref _admitted) > _admissionLimit)
        {
            Interlocked.Decrement(ref _admitted);
            _metrics.Rejected("busy", LaneName(lane));
            throw new SynthesisBusyException();
        }
    }

    private void Release(SynthesisLane lane)
    {
        lock (_gate)
        {
            _running--;
            if (lane == SynthesisLane.Bulk)
            {
                _runningBulk--;
            }

            Dispatch();
        }
    }

    private void Cancel(Waiter waiter)
    {
        lock (_gate)
        {
            if (waiter.Node.List is not { } list)
            {
                return; // Already granted: the caller gives the slot back when it sees the cancellation.
            }

            list.Remove(waiter.Node);
        }

        waiter.Granted.TrySetCanceled();
    }

    /// <summary>Hands free slots to waiters, under the lock: an aged bulk call, then interactive calls, then bulk calls.</summary>
    private void Dispatch()
    {
        while (_running < _slots)
        {
            var bulkHead = _runningBulk < _bulkSlots ? _bulk.First : null;
            var next = bulkHead is not null && _time.GetElapsedTime(bulkHead.Value.Enqueued) >= _aging
                ? bulkHead
                : _interactive.First ?? bulkHead;
            if (next is null)
            {
                return;
            }

            next.List!.Remove(next);
            _running++;
            if (next.Value.Lane == SynthesisLane.Bulk)
            {
                _runningBulk++;
            }

            next.Value.Granted.TrySetResult();
        }
    }

    private static string LaneName(SynthesisLane lane) => lane == SynthesisLane.Interactive ? "interactive" : "bulk";

    /// <summary>A held synthesis slot.</summary>
    public readonly struct Slot(SynthesisScheduler owner, SynthesisLane lane) : IDisposable
    {
        public SynthesisLane Lane => lane;

        public void Dispose() => owner?.Release(lane);
    }

    private sealed class Waiter
    {
        public Waiter(SynthesisLane lane, long enqueued)
        {
            Lane = lane;
            Enqueued = enqueued;
            Node = new LinkedListNode<Waiter>(this);
        }

        public SynthesisLane Lane { get; }

        public long Enqueued { get; }

        public LinkedListNode<Waiter> Node { get; }

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
