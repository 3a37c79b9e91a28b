using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PatternTts.Service.Tests.Synthesis.Kokoro;

public sealed class OnnxKokoroModelTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pattern-tts-onnx-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string> Exports => ["A", "B", "rank2-float", "rank1-int"];

    private static StandInModelOptions Export(string name) => name switch
    {
        "A" => StandInModelOptions.ExportA,
        "B" => StandInModelOptions.ExportB,
        "rank2-float" => new("input_ids", AudioOutputName: "waveform", AudioRank: 2),
        "rank1-int" => new("tokens", IntegerSpeed: true, DurationOutputName: "durations"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private OnnxKokoroModel Load(StandInModelOptions options) =>
        new(StandInModelBuilder.Write(Path.Combine(_directory, $"{Guid.NewGuid():N}.onnx"), options), 1, false,
            NullLogger<OnnxKokoroModel>.Instance);

    [Fact]
    public void ExportASignatureIsReadFromMetadata()
    {
        using var model = Load(StandInModelOptions.ExportA);

        Assert.Equal("tokens", model.Info.TokensInputName);
        Assert.Equal("speed", model.Info.SpeedInputName);
        Assert.Equal("float32", model.Info.SpeedElementType);
        Assert.Equal("audio", model.Info.AudioOutputName);
        Assert.Null(model.Info.DurationOutputName);
    }

    [Fact]
    public void ExportBSignatureIsReadFromMetadata()
    {
        using var model = Load(StandInModelOptions.ExportB);

        Assert.Equal("input_ids", model.Info.TokensInputName);
        Assert.Equal("int32", model.Info.SpeedElementType);
        Assert.Equal("waveform", model.Info.AudioOutputName);
        Assert.Equal("duration", model.Info.DurationOutputName);
    }

    [Fact]
    public void PluralDurationsOutputIsDetected()
    {
        using var model = Load(new StandInModelOptions(DurationOutputName: "durations"));

        Assert.Equal("durations", model.Info.DurationOutputName);
    }

    [Theory]
    [MemberData(nameof(Exports))]
    public async Task RunFeedsPaddedTokensAndTheGivenStyleRow(string export)
    {
        // Arrange
        using var model = Load(Export(export));
        long[] ids = [50, 83, 54, 54, 156, 31, 4];

        // Act
        var output = await model.RunAsync(ids, StandInVoices.Row(3, 6), 1f, CancellationToken.None);

        // Assert
        var segments = StandInDecoder.Decode(output.Audio);
        Assert.Equal([0L, .. ids, 0L], segments.Select(s => s.TokenId));
        Assert.All(segments, s => Assert.Equal((3, 6), (s.VoiceIndex, s.StyleRow)));
        Assert.All(segments, s => Assert.Equal(4 * 600, s.Length));
        Assert.Equal(600 * 4 * (ids.Length + 2), output.Audio.Length);
    }

    [Theory]
    [InlineData(0.5f, 8)]
    [InlineData(1f, 4)]
    [InlineData(2f, 2)]
    [InlineData(1.5f, 3)]
    [InlineData(4f, 1)]
    public async Task FloatSpeedScalesSegmentLengthInversely(float speed, int expectedUnits)
    {
        using var model = Load(StandInModelOptions.ExportA);

        var output = await model.RunAsync([43, 44], StandInVoices.Row(0, 1), speed, CancellationToken.None);

        Assert.Equal(600 * expectedUnits * 4, output.Audio.Length);
        Assert.All(StandInDecoder.Decode(output.Audio), s => Assert.Equal(600 * expectedUnits, s.Length));
    }

    [Theory]
    [InlineData(2f, 2)]     // sent as 2: half the length of speed 1
    [InlineData(1f, 4)]
    [InlineData(0.5f, 4)]   // the export cannot slow down: clamped to 1
    [InlineData(0.25f, 4)]
    [InlineData(1.4f, 4)]   // rounded to 1
    [InlineData(1.6f, 2)]   // rounded to 2
    [InlineData(4f, 1)]
    public async Task IntegerSpeedIsRoundedAndClampedToAtLeastOne(float speed, int expectedUnits)
    {
        using var model = Load(StandInModelOptions.ExportB);

        var output = await model.RunAsync([43, 44], StandInVoices.Row(0, 1), speed, CancellationToken.None);

        Assert.Equal(600 * expectedUnits * 4, output.Audio.Length);
        Assert.Equal([expectedUnits, expectedUnits, expectedUnits, expectedUnits], output.Durations!);
    }

    [Theory]
    [InlineData(0.5f)]
    [InlineData(1f)]
    [InlineData(2f)]
    public async Task DurationsCoverEveryPaddedTokenAndSumToTheAudioLength(float speed)
    {
        using var model = Load(new StandInModelOptions(DurationOutputName: "duration"));
        long[] ids = [50, 83, 54];

        var output = await model.RunAsync(ids, StandInVoices.Row(0, 2), speed, CancellationToken.None);

        Assert.NotNull(output.Durations);
        Assert.Equal(ids.Length + 2, output.Durations.Length);
        Assert.All(output.Durations, d => Assert.True(d >= 1));
        Assert.Equal(output.Audio.Length, 600 * output.Durations.Sum());
    }

    [Fact]
    public async Task ExportWithoutDurationsReturnsNull()
    {
        using var model = Load(StandInModelOptions.ExportA);

        var output = await model.RunAsync([43], StandInVoices.Row(0, 0), 1f, CancellationToken.None);

        Assert.Null(output.Durations);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public async Task NonFiniteOutputIsRejected(float poison)
    {
        using var model = Load(new StandInModelOptions(PoisonLastSample: poison));

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() =>
            model.RunAsync([43, 44, 45], StandInVoices.Row(0, 2), 1f, CancellationToken.None));

        Assert.Contains("non-finite", ex.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(509)]
    [InlineData(510)]
    public async Task TokenCountsUpToTheLimitAreAccepted(int count)
    {
        using var model = Load(StandInModelOptions.ExportB);
        var ids = Enumerable.Range(0, count).Select(i => (long)(1 + i % 177)).ToArray();

        var output = await model.RunAsync(ids, StandInVoices.Row(1, Math.Clamp(count - 1, 0, 509)), 1f, CancellationToken.None);

        var segments = StandInDecoder.Decode(output.Audio);
        Assert.Equal([0L, .. ids, 0L], segments.Select(s => s.TokenId));
        Assert.All(segments, s => Assert.Equal(Math.Clamp(count - 1, 0, 509), s.StyleRow));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(511)]
    public async Task TokenCountsOutsideTheLimitAreRejected(int count)
    {
        using var model = Load(StandInModelOptions.ExportA);
        var ids = Enumerable.Repeat(43L, count).ToArray();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            model.RunAsync(ids, StandInVoices.Row(0, 0), 1f, CancellationToken.None));

        Assert.Equal("tokenIds", ex.ParamName);
    }

    [Theory]
    [InlineData(255)]
    [InlineData(257)]
    public async Task StyleOfTheWrongLengthIsRejected(int length)
    {
        using var model = Load(StandInModelOptions.ExportA);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            model.RunAsync([43], new float[length], 1f, CancellationToken.None));

        Assert.Equal("style", ex.ParamName);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    public async Task NonPositiveSpeedIsRejected(float speed)
    {
        using var model = Load(StandInModelOptions.ExportA);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            model.RunAsync([43], StandInVoices.Row(0, 0), speed, CancellationToken.None));
    }

    [Fact]
    public async Task AlreadyCancelledCallThrowsWithoutRunning()
    {
        using var model = Load(StandInModelOptions.ExportA);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            model.RunAsync([43], StandInVoices.Row(0, 0), 1f, cts.Token));
    }

    [Fact]
    public async Task ConcurrentCallsOnOneSessionReturnIndependentResults()
    {
        // Arrange
        using var model = Load(StandInModelOptions.ExportB);
        var requests = Enumerable.Range(0, 48).Select(i => (
            Ids: Enumerable.Range(0, 1 + i * 7 % 200).Select(j => (long)(1 + (i + j) % 177)).ToArray(),
            Voice: i % 5,
            Row: i * 11 % 510,
            Speed: i % 2 == 0 ? 1f : 2f)).ToArray();

        // Act
        var outputs = await Task.WhenAll(requests.Select(r => Task.Run(() =>
            model.RunAsync(r.Ids, StandInVoices.Row(r.Voice, r.Row), r.Speed, CancellationToken.None))));

        // Assert
        for (var i = 0; i < requests.Length; i++)
        {
            var segments = StandInDecoder.Decode(outputs[i].Audio);
            Assert.Equal([0L, .. requests[i].Ids, 0L], segments.Select(s => s.TokenId));
            Assert.All(segments, s => Assert.Equal((requests[i].Voice, requests[i].Row), (s.VoiceIndex, s.StyleRow)));
            Assert.All(segments, s => Assert.Equal(requests[i].Speed == 1f ? 2400 : 1200, s.Length));
        }
    }

    [Fact]
    public async Task CallerBuffersMayBeReusedOnceTheCallStarted()
    {
        using var model = Load(StandInModelOptions.ExportA);
        var ids = new List<long> { 43, 44 };
        var style = StandInVoices.Row(2, 9);

        var pending = model.RunAsync(ids, style, 1f, CancellationToken.None);
        ids[0] = 100;
        Array.Fill(style, 0f);
        var output = await pending;

        Assert.Equal([0L, 43, 44, 0], StandInDecoder.TokenIds(output.Audio));
        Assert.Equal(9, StandInDecoder.Decode(output.Audio)[0].StyleRow);
    }

    [Fact]
    public void FileThatIsNotAnOnnxModelFailsToLoad()
    {
        var path = Path.Combine(_directory, "broken.onnx");
        File.WriteAllText(path, "not a model");

        Assert.ThrowsAny<Exception>(() => new OnnxKokoroModel(path, 0, false, NullLogger<OnnxKokoroModel>.Instance));
    }

    [Fact]
    public void UseGpuWithoutCudaFallsBackToTheCpu()
    {
        var path = StandInModelBuilder.Write(Path.Combine(_directory, "gpu.onnx"), StandInModelOptions.ExportA);

        using var model = new OnnxKokoroModel(path, 0, useGpu: true, NullLogger<OnnxKokoroModel>.Instance);

        Assert.Equal("tokens", model.Info.TokensInputName);
    }

    [Fact]
    public async Task UseGpuOnTheCpuBuildRunsOnTheCpuAndTheLogSaysWhichProviderAndWhy()
    {
        var logger = new RecordingLogger();
        using var model = new OnnxKokoroModel(
            StandInModelBuilder.Write(Path.Combine(_directory, "gpu.onnx"), StandInModelOptions.ExportA), 1, useGpu: true, logger);

        var output = await model.RunAsync([43, 44], StandInVoices.Row(0, 1), 1f, CancellationToken.None);

        Assert.NotEmpty(output.Audio);
        Assert.Contains(logger.Messages, m => m.Contains("-p:OnnxRuntimeGpu=true", StringComparison.Ordinal));
        Assert.Contains("ONNX Runtime runs Kokoro on the CPU (no CUDA provider in this build)", logger.Messages);
    }

    private sealed class RecordingLogger : ILogger<OnnxKokoroModel>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _messages = new();

        public IReadOnlyCollection<string> Messages => _messages;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _messages.Enqueue(formatter(state, exception));
    }
}
