using Xunit.Abstractions;
using System.Text.Json;

namespace PatternTts.Service.Tests.Synthesis;

/// <summary>Chunks join without clicks: every cut is faded, so the waveform has no jump where two chunks meet.</summary>
public sealed class ChunkShaperTests(ITestOutputHelper output)
{
    // 0.5 ms either side of a join, where the 5 ms fades hold the gain under 0.1.
    private const int Window = 12;

    [Theory]
    [InlineData("kokoro")]
    [InlineData("espeak")]
    public async Task JoinedWavHasNoDiscontinuitySpikesAtChunkBoundaries(string engine)
    {
        // Arrange
        using var factory = engine == "kokoro"
            ? new ServiceFactory().WithStandIn().With("Tts:ChunkMaxTokens", "80")
            : new ServiceFactory();
        if (engine == "kokoro")
        {
            factory.UseRecordingModel();
        }

        var client = factory.CreateClient();

        // Act: the caption stream says which bytes each chunk produced, so the joins can be found in the file.
        var response = await ServiceClient.PostAsync(client, "/dev/captioned_speech",
            new { model = engine == "kokoro" ? "kokoro" : "tts-1", input = CaptionedSpeechTests.Text + " " + CaptionedSpeechTests.Text, voice = "af_heart", response_format = "wav", stream = true });
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => Convert.FromBase64String(JsonDocument.Parse(l).RootElement.GetProperty("audio").GetString()!))
            .ToList();
        var decoded = await FfmpegProbe.DecodeAsync([.. lines.SelectMany(b => b)], "wav");
        var x = decoded.Samples;

        // Assert
        var boundaries = new List<int>();
        var position = -44 / 2;
        foreach (var line in lines.SkipLast(1))
        {
            position += line.Length / 2;
            boundaries.Add(position);
        }

        Assert.True(boundaries.Count >= 2, $"expected several chunks, got {lines.Count}");
        Assert.Equal(x.Length, position + lines[^1].Length / 2);

        // Speech and the stand-in's square-wave segments both jump by up to the peak inside a chunk, and an unfaded
        // cut would jump by about as much (the stand-in's by 1.5 × peak). Faded joins move by a small fraction of it.
        var peak = x.Max(Math.Abs);
        var bound = peak / 20;
        var interior = Enumerable.Range(1, x.Length - 1).Max(n => Math.Abs(x[n] - x[n - 1]));
        output.WriteLine($"{engine}: {boundaries.Count} joins, peak {peak:F4}, largest step anywhere {interior:F4}, bound at joins {bound:F4}");
        foreach (var boundary in boundaries)
        {
            var from = Math.Max(1, boundary - Window);
            var to = Math.Min(x.Length, boundary + Window);
            var spike = Enumerable.Range(from, to - from).Max(n => Math.Abs(x[n] - x[n - 1]));
            output.WriteLine($"  join at sample {boundary}: largest step {spike:F5}");
            Assert.True(spike <= bound, $"a jump of {spike:F4} at sample {boundary} (bound {bound:F4}, peak {peak:F4})");
        }
    }

    [Fact]
    public void ShapedChunkStartsAndEndsAtZeroAndReportsWhatItTrimmed()
    {
        // Arrange: 0.2 s of silence, then 0.5 s of a loud tone.
        var audio = new float[24_000 * 7 / 10];
        for (var i = 4_800; i < audio.Length; i++)
        {
            audio[i] = 0.5f * MathF.Sin(i * 0.3f) + 0.3f;
        }

        // Act
        var shaped = ChunkShaper.Shape(audio, Boundary.None, 1f, 1f, out var trimmed);

        // Assert: the lead keeps a 50 ms margin of the silence, and both cut points are faded to zero.
        Assert.Equal(4_800 - 1_200, trimmed);
        Assert.Equal(0f, shaped[0]);
        Assert.Equal(0f, shaped[^1]);
        Assert.Equal(audio.Length - trimmed, shaped.Length);
    }
}
