using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace PatternTts.Service.Tests.Synthesis;

public sealed class SynthesisSchedulerTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task AnInteractiveCallGoesBeforeABulkCallThatWaitedLonger()
    {
        // Arrange: one slot, held; a bulk call waits, then an interactive one.
        var scheduler = Create(slots: 1, reserved: 0);
        var held = await scheduler.AcquireAsync(SynthesisLane.Bulk, default);
        var bulk = scheduler.AcquireAsync(SynthesisLane.Bulk, default).AsTask();
        var interactive = scheduler.AcquireAsync(SynthesisLane.Interactive, default).AsTask();

        // Act
        held.Dispose();
        var first = await Task.WhenAny(bulk, interactive);

        // Assert
        Assert.Same(interactive, first);
        Assert.False(bulk.IsCompleted);
        (await interactive).Dispose();
        (await bulk).Dispose();
        Assert.Equal(0, scheduler.Running);
    }

    [Fact]
    public async Task ABulkCallThatWaitedPastTheAgingLimitGoesBeforeInteractiveOnes()
    {
        // Arrange
        var scheduler = Create(slots: 1, reserved: 0, agingMilliseconds: 2000);
        var held = await scheduler.AcquireAsync(SynthesisLane.Interactive, default);
        var bulk = scheduler.AcquireAsync(SynthesisLane.Bulk, default).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(2500));
        var interactive = scheduler.AcquireAsync(SynthesisLane.Interactive, default).AsTask();

        // Act
        held.Dispose();
        var first = await Task.WhenAny(bulk, interactive);

        // Assert: a long request is never starved by a stream of short ones.
        Assert.Same(bulk, first);
        (await bulk).Dispose();
        (await interactive).Dispose();
    }

    [Fact]
    public async Task BulkCallsNeverTakeTheReservedSlotButInteractiveOnesDo()
    {
        // Arrange: two slots, one reserved for interactive calls; a bulk call runs.
        var scheduler = Create(slots: 2, reserved: 1);
        var runningBulk = await scheduler.AcquireAsync(SynthesisLane.Bulk, default);

        // Act
        var secondBulk = scheduler.AcquireAsync(SynthesisLane.Bulk, default).AsTask();
        var interactive = scheduler.AcquireAsync(SynthesisLane.Interactive, default).AsTask();

        // Assert: the free slot went to the interactive call; the second bulk call waits for the bulk slot.
        Assert.True(interactive.IsCompletedSuccessfully);
        Assert.False(secondBulk.IsCompleted);
        Assert.Equal(1, scheduler.WaitingIn(SynthesisLane.Bulk));
        (await interactive).Dispose();
        Assert.False(secondBulk.IsCompleted);
        runningBulk.Dispose();
        (await secondBulk).Dispose();
    }

    [Fact]
    public async Task CallsInOneLaneAreServedInArrivalOrder()
    {
        // Arrange
        var scheduler = Create(slots: 1, reserved: 0);
        var held = await scheduler.AcquireAsync(SynthesisLane.Interactive, default);
        var waiting = Enumerable.Range(0, 4).Select(_ => scheduler.AcquireAsync(SynthesisLane.Interactive, default).AsTask()).ToArray();
        var order = new List<int>();

        // Act: each granted call releases its slot in turn.
        held.Dispose();
        for (var served = 0; served < waiting.Length; served++)
        {
            var next = await Task.WhenAny(waiting.Where((_, i) => !order.Contains(i)));
            order.Add(Array.IndexOf(waiting, next));
            (await next).Dispose();
        }

        // Assert
        Assert.Equal([0, 1, 2, 3], order);
    }

    [Fact]
    public async Task ACancelledWaiterLeavesItsLaneAndTheSlotGoesToTheNextOne()
    {
        // Arrange
        var scheduler = Create(slots: 1, reserved: 0);
        var held = await scheduler.AcquireAsync(SynthesisLane.Interactive, default);
        using var cancel = new CancellationTokenSource();
        var cancelled = scheduler.AcquireAsync(SynthesisLane.Interactive, cancel.Token).AsTask();
        var next = scheduler.AcquireAsync(SynthesisLane.Interactive, default).AsTask();

        // Act
        await cancel.CancelAsync();
        var outcome = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var waitingAfterCancel = scheduler.WaitingIn(SynthesisLane.Interactive);
        held.Dispose();

        // Assert
        Assert.Equal(cancel.Token, outcome.CancellationToken);
        Assert.Equal(1, waitingAfterCancel);
        (await next).Dispose();
        Assert.Equal(0, scheduler.Running);
    }

    [Fact]
    public async Task RequestsPastSlotsPlusQueueAreRefusedAsBusyAndTheOthersStillRun()
    {
        // Arrange: one slot and a queue of one: two requests may be in progress.
        var scheduler = Create(slots: 1, reserved: 0, queue: 1);
        var gate = new TaskCompletionSource();
        var first = scheduler.RunAsync(Chunks(2, gate.Task), new SynthesisDemand(10, Streamed: true), default).GetAsyncEnumerator();
        var second = scheduler.RunAsync(Chunks(1, Task.CompletedTask), new SynthesisDemand(10, Streamed: true), default).GetAsyncEnumerator();
        var third = scheduler.RunAsync(Chunks(1, Task.CompletedTask), new SynthesisDemand(10, Streamed: true), default).GetAsyncEnumerator();

        // Act
        var firstStep = first.MoveNextAsync().AsTask();
        var secondStep = second.MoveNextAsync().AsTask();
        var refused = await Assert.ThrowsAsync<SynthesisBusyException>(() => third.MoveNextAsync().AsTask());
        gate.SetResult();

        // Assert
        Assert.NotNull(refused);
        Assert.True(await firstStep);
        Assert.True(await secondStep);
        Assert.Equal(2, scheduler.Admitted);
        await first.DisposeAsync();
        await second.DisposeAsync();
        await third.DisposeAsync();
        Assert.Equal(0, scheduler.Admitted);
    }

    [Fact]
    public async Task AShortRequestsFirstChunkRunsAtTheNextFreeSlotWhileALongRequestIsBeingRead()
    {
        // Arrange: one slot; a long non-streamed request whose every model call the test lets through one at a time.
        var scheduler = Create(slots: 1, reserved: 0);
        var order = new List<string>();
        var longGates = Enumerable.Range(0, 5).Select(_ => new TaskCompletionSource()).ToArray();
        var longRead = ReadAllAsync(scheduler.RunAsync(
            Chunks(5, i => longGates[i].Task, i => Record(order, $"long-{i}")), new SynthesisDemand(5000, Streamed: false), default));
        await Eventually.WaitAsync(() => Task.FromResult(order.Count), count => count == 1, "the long request's first call");

        // Act: a short request arrives while the long one holds the slot, then the long call ends.
        var shortRead = ReadAllAsync(scheduler.RunAsync(
            Chunks(1, _ => Task.CompletedTask, _ => Record(order, "short-0")), new SynthesisDemand(20, Streamed: true), default));
        await Eventually.WaitAsync(() => Task.FromResult(scheduler.WaitingIn(SynthesisLane.Interactive)), n => n == 1, "the short request to wait");
        foreach (var gate in longGates)
        {
            gate.SetResult();
        }

        await Task.WhenAll(longRead, shortRead);

        // Assert: the short request ran right after the call that held the slot, not after the whole long request.
        Assert.Equal(["long-0", "short-0", "long-1", "long-2", "long-3", "long-4"], order);
    }

    [Fact]
    public async Task AfterTheFirstChunkTheNextModelCallRunsWhileTheCallerSendsTheChunkBeforeItButNoFurther()
    {
        // Arrange
        var scheduler = Create(slots: 2, reserved: 0);
        var started = new List<string>();
        var chunks = scheduler.RunAsync(Chunks(4, _ => Task.CompletedTask, i => Record(started, $"call-{i}")), new SynthesisDemand(20, Streamed: true), default)
            .GetAsyncEnumerator();

        // Act: take the first chunk (sent before anything else runs), then the second, and hold it as a response
        // does while it encodes and writes.
        Assert.True(await chunks.MoveNextAsync());
        await Task.Delay(50);
        var whileSendingTheFirst = started.ToArray();
        Assert.True(await chunks.MoveNextAsync());
        await Eventually.WaitAsync(() => Task.FromResult(started.Count), count => count == 3, "the call after the second to start");
        await Task.Delay(50);
        var whileHolding = started.ToArray();
        await chunks.DisposeAsync();

        // Assert: nothing beside the first chunk's send; then one call ahead, never two; leaving early lets the request go.
        Assert.Equal(["call-0"], whileSendingTheFirst);
        Assert.Equal(["call-0", "call-1", "call-2"], whileHolding);
        Assert.Equal(0, scheduler.Admitted);
        Assert.Equal(0, scheduler.Running);
    }

    [Theory]
    [InlineData(120, true, 0, SynthesisLane.Interactive)]
    [InlineData(120, false, 3, SynthesisLane.Interactive)]
    [InlineData(4000, true, 0, SynthesisLane.Interactive)]
    [InlineData(4000, true, 1, SynthesisLane.Bulk)]
    [InlineData(4000, false, 0, SynthesisLane.Bulk)]
    public void ShortInputsAndStreamedFirstCallsAreInteractiveAndTheRestIsBulk(int characters, bool streamed, int call, SynthesisLane expected)
    {
        var scheduler = Create(slots: 2, reserved: 1);

        var lane = scheduler.LaneOf(new SynthesisDemand(characters, streamed), call);

        Assert.Equal(expected, lane);
    }

    private SynthesisScheduler Create(int slots, int reserved, int queue = 8, int agingMilliseconds = 2000)
    {
        var options = Options.Create(new TtsOptions
        {
            MaxConcurrentSyntheses = slots,
            InteractiveReservedSlots = reserved,
            MaxQueueLength = queue,
            BulkAgingMilliseconds = agingMilliseconds,
            InteractiveMaxCharacters = 300,
        });
        var meters = _services.GetRequiredService<IMeterFactory>();
        return new SynthesisScheduler(options, new TtsMetrics(meters), meters, _time);
    }

    private static Task Record(List<string> order, string call)
    {
        lock (order)
        {
            order.Add(call);
        }

        return Task.CompletedTask;
    }

    private static IAsyncEnumerable<SpeechChunk> Chunks(int count, Task gate) => Chunks(count, _ => gate, _ => Task.CompletedTask);

    /// <summary>An engine of <paramref name="count"/> model calls: each is recorded when it starts and ends when its gate opens.</summary>
    private static async IAsyncEnumerable<SpeechChunk> Chunks(int count, Func<int, Task> gate, Func<int, Task> started)
    {
        for (var i = 0; i < count; i++)
        {
            await started(i);
            await gate(i);
            yield return new SpeechChunk(new float[240], $"chunk {i}", 4, Boundary.None);
        }
    }

    private static async Task ReadAllAsync(IAsyncEnumerable<SpeechChunk> chunks)
    {
        await foreach (var _ in chunks)
        {
        }
    }
}
