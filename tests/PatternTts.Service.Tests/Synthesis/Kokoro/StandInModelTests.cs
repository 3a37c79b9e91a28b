namespace PatternTts.Service.Tests.Synthesis.Kokoro;

public sealed class StandInModelTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pattern-tts-standin-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void VoiceFilesUseTheKokoroJsLayout()
    {
        var paths = StandInVoices.Write(_directory, "af_heart", "am_michael");

        var bytes = File.ReadAllBytes(paths[1]);
        Assert.Equal(522_240, bytes.Length);
        Assert.Equal(StandInVoices.StyleValue(1, 7), BitConverter.ToSingle(bytes, 7 * 1024));
        Assert.Equal(StandInVoices.StyleValue(1, 7), BitConverter.ToSingle(bytes, 7 * 1024 + 127 * 4));
        Assert.Equal(StandInVoices.ProsodyValue(1, 7), BitConverter.ToSingle(bytes, 7 * 1024 + 128 * 4));
        Assert.Equal(StandInVoices.ProsodyValue(1, 7), BitConverter.ToSingle(bytes, 7 * 1024 + 255 * 4));
        Assert.Equal(StandInVoices.StyleValue(1, 509), BitConverter.ToSingle(bytes, 509 * 1024));
    }

    [Fact]
    public void DecoderRejectsARowReadAtTheWrongOffset()
    {
        // Half of row 4 and half of row 5, as a reader that got the offset wrong by 128 floats would produce.
        var style = StandInVoices.Row(0, 4)[128..].Concat(StandInVoices.Row(0, 5)[..128]).ToArray();
        var value = 0.5f + 43 / 512f;
        float[] audio = [value + style[0], -(value + style[255])];

        Assert.Throws<InvalidDataException>(() => StandInDecoder.Decode(audio));
    }

    [Fact]
    public void DecoderSkipsInsertedSilenceAndRejectsScaledAudio()
    {
        var a = 0.5f + 43 / 512f + StandInVoices.StyleValue(2, 3);
        var b = 0.5f + 43 / 512f + StandInVoices.ProsodyValue(2, 3);
        float[] audio = [a, a, -b, -b, 0, 0, 0, a, -b];

        var segments = StandInDecoder.Decode(audio);

        Assert.Equal([new StandInSegment(43, 2, 3, 4), new StandInSegment(43, 2, 3, 2)], segments);
        Assert.Throws<InvalidDataException>(() => StandInDecoder.Decode(audio.Select(v => v * 0.9f).ToArray()));
    }

    [Fact]
    public void BuilderWritesAModelFileWithoutLeavingBinariesInTheTree()
    {
        var path = StandInModelBuilder.Write(Path.Combine(_directory, "m.onnx"), StandInModelOptions.ExportB);

        Assert.True(new FileInfo(path).Length is > 100 and < 10_000);
    }

    [Fact]
    public async Task RecordingModelHoldsCallsAtTheGateAndRecordsThem()
    {
        // Arrange
        var second = new TaskCompletionSource();
        using var model = new RecordingKokoroModel(StandInKokoro.Create(_directory),
            (index, ct) => index == 0 ? Task.CompletedTask : second.Task.WaitAsync(ct));

        // Act
        var first = await model.RunAsync([43], StandInVoices.Row(0, 0), 1f, CancellationToken.None);
        var pending = model.RunAsync([44, 45], StandInVoices.Row(1, 1), 2f, CancellationToken.None);
        var heldBack = !pending.IsCompleted;
        second.SetResult();
        var later = await pending;

        // Assert
        Assert.True(heldBack);
        Assert.Equal([0L, 43, 0], StandInDecoder.TokenIds(first.Audio));
        Assert.Equal([0L, 44, 45, 0], StandInDecoder.TokenIds(later.Audio));
        Assert.Equal([[43L], [44L, 45L]], model.Calls.Select(c => c.TokenIds));
        Assert.Equal(2f, model.Calls[1].Speed);
    }
}
