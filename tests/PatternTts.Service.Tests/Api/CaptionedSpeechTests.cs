using System.Net;
using System.Text.Json;

namespace PatternTts.Service.Tests.Api;

/// <summary>
/// <c>POST /dev/captioned_speech</c>: word times for multi-chunk text from each source the service has — the
/// model's durations, espeak-ng's word events, and the estimate when the export has no durations.
/// </summary>
public sealed class CaptionedSpeechTests
{
    public const string Text =
        "The quick brown fox jumps over the lazy dog. Every morning the baker opens her small shop, and the whole " +
        "street smells of warm bread. Children wave as they walk past on their way to school; some of them stop to " +
        "look at the cakes in the window. By noon the shelves are empty, and she sits outside in the sun.";

    private static readonly StandInModelOptions WithDurations = StandInModelOptions.ExportA with { DurationOutputName = "duration" };

    public sealed record Caption(string Word, double Start, double End);

    [Theory]
    [InlineData("durations", "model_durations")]
    [InlineData("espeak", "espeak_events")]
    [InlineData("none", "estimated")]
    public async Task EveryWordOfMultiChunkTextGetsMonotonicTimesFromTheRightSource(string engine, string source)
    {
        // Arrange
        using var factory = Factory(engine);
        var model = engine == "espeak" ? null : factory.UseRecordingModel();

        // Act
        var response = await ServiceClient.PostAsync(factory.CreateClient(), "/dev/captioned_speech",
            new { model = engine == "espeak" ? "tts-1" : "kokoro", input = Text, voice = "af_heart", response_format = "wav", stream = false });

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await ServiceClient.ReadJsonAsync(response);
        Assert.Equal("wav", body.GetProperty("audio_format").GetString());
        Assert.Equal(source, body.GetProperty("timestamp_source").GetString());
        Assert.True(model is null || model.Calls.Count >= 3, "the text should span several chunks");

        var audio = await FfmpegProbe.DecodeAsync(Convert.FromBase64String(body.GetProperty("audio").GetString()!), "wav");
        var captions = ReadCaptions(body.GetProperty("timestamps"));
        AssertCoverInOrder(captions, Text, audio.Duration.TotalSeconds);
        if (engine == "durations")
        {
            // The stand-in gives every token 4 units of 600 samples and nothing is trimmed: the first word starts
            // after the leading pad, exactly 0.1 s in.
            Assert.Equal(0.1, captions[0].Start, 6);
        }
    }

    [Fact]
    public async Task StreamingSendsOneJsonLinePerChunkWithItsAudioAndItsWords()
    {
        // Arrange
        using var factory = Factory("durations");
        var model = factory.UseRecordingModel();

        // Act
        var response = await ServiceClient.PostAsync(factory.CreateClient(), "/dev/captioned_speech",
            new { model = "kokoro", input = Text, voice = "af_heart", response_format = "pcm" });

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(model.Calls.Count, lines.Length);

        var all = new List<Caption>();
        var pcm = new MemoryStream();
        foreach (var line in lines)
        {
            using var document = JsonDocument.Parse(line);
            var audio = Convert.FromBase64String(document.RootElement.GetProperty("audio").GetString()!);
            var lineStart = pcm.Length / 2 / 24_000.0;
            var lineEnd = (pcm.Length + audio.Length) / 2 / 24_000.0;
            pcm.Write(audio);
            var captions = ReadCaptions(document.RootElement.GetProperty("timestamps"));
            Assert.NotEmpty(captions);
            Assert.Equal("model_durations", document.RootElement.GetProperty("timestamp_source").GetString());
            // Each chunk's first word starts 0.1 s after the chunk's own first sample: the offsets add up.
            Assert.Equal(lineStart + 0.1, captions[0].Start, 3);
            Assert.All(captions, c => Assert.InRange(c.End, lineStart, lineEnd));
            all.AddRange(captions);
        }

        var decoded = await FfmpegProbe.DecodeAsync(pcm.ToArray(), "pcm");
        AssertCoverInOrder(all, Text, decoded.Duration.TotalSeconds);
    }

    [Fact]
    public async Task EspeakStreamLinesJoinIntoOnePlayableWav()
    {
        using var factory = new ServiceFactory();

        var response = await ServiceClient.PostAsync(factory.CreateClient(), "/dev/captioned_speech",
            new { model = "tts-1", input = Text, voice = "af_heart", response_format = "wav", stream = true });

        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 2);
        var wav = lines.SelectMany(l => Convert.FromBase64String(JsonDocument.Parse(l).RootElement.GetProperty("audio").GetString()!)).ToArray();
        var decoded = await FfmpegProbe.DecodeAsync(wav, "wav");
        var captions = lines.SelectMany(l => ReadCaptions(JsonDocument.Parse(l).RootElement.GetProperty("timestamps"))).ToList();
        AssertCoverInOrder(captions, Text, decoded.Duration.TotalSeconds);
    }

    [Fact]
    public async Task BadRequestsGetTheSameErrorsAsTheSpeechEndpoint()
    {
        using var factory = new ServiceFactory();

        var response = await ServiceClient.PostAsync(factory.CreateClient(), "/dev/captioned_speech", new { model = "tts-1", input = "", voice = "af_heart" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("empty_input", (await ServiceClient.ReadErrorAsync(response)).GetProperty("code").GetString());
    }

    private static ServiceFactory Factory(string engine) => engine switch
    {
        "durations" => new ServiceFactory().WithStandIn(WithDurations).With("Tts:ChunkMaxTokens", "80"),
        "none" => new ServiceFactory().WithStandIn().With("Tts:ChunkMaxTokens", "80"),
        _ => new ServiceFactory(),
    };

    private static List<Caption> ReadCaptions(JsonElement timestamps) =>
        [.. timestamps.EnumerateArray().Select(t => new Caption(
            t.GetProperty("word").GetString()!,
            t.GetProperty("start_time").GetDouble(),
            t.GetProperty("end_time").GetDouble()))];

    private static void AssertCoverInOrder(IReadOnlyList<Caption> captions, string text, double audioSeconds)
    {
        Assert.Equal(ServiceClient.Words(text), captions.Select(c => c.Word));
        var previousEnd = 0.0;
        foreach (var caption in captions)
        {
            Assert.True(caption.Start >= previousEnd, $"'{caption.Word}' starts at {caption.Start} before the previous word ends at {previousEnd}");
            Assert.True(caption.End > caption.Start, $"'{caption.Word}' has no duration ({caption.Start}–{caption.End})");
            previousEnd = caption.End;
        }

        Assert.True(previousEnd <= audioSeconds + 0.001, $"the last word ends at {previousEnd} s, after the audio ({audioSeconds} s)");
    }
}
