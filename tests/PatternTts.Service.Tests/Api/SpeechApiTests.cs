using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace PatternTts.Service.Tests.Api;

/// <summary>The speech API end to end over the espeak-ng engine (Development, no Kokoro model) and the real voices.</summary>
public sealed class SpeechApiTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private const string Sentence = "Hello there! Pattern speaks every format, and each one plays.";

    public static TheoryData<string> Formats => ["mp3", "opus", "aac", "flac", "wav", "pcm"];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task EveryFormatDecodesAsTwentyFourKilohertzMonoWithTheDurationOfTheWav(string format)
    {
        // Arrange
        var client = factory.CreateClient();
        var wav = await FfmpegProbe.DecodeAsync(await ServiceClient.SpeakAsync(client, Sentence, "wav", stream: false), "wav");

        foreach (var stream in new[] { true, false })
        {
            // Act
            var bytes = await ServiceClient.SpeakAsync(client, Sentence, format, stream);
            var decoded = await FfmpegProbe.DecodeAsync(bytes, format);

            // Assert
            Assert.Equal(1, decoded.Channels);
            if (format == "opus")
            {
                // Opus always decodes at 48 kHz; the stream's own rate is the OpusHead input rate.
                Assert.Equal(24_000, BitConverter.ToInt32(bytes, FindOpusHead(bytes) + 12));
            }
            else
            {
                Assert.Equal(24_000, decoded.SampleRate);
            }

            Assert.InRange(decoded.Duration.TotalSeconds, wav.Duration.TotalSeconds * 0.95, wav.Duration.TotalSeconds * 1.05);
            Assert.True(FfmpegProbe.Rms(decoded.Samples) > 0.01, "the audio is silent");
            if (format == "pcm")
            {
                // espeak-ng's output length drifts by a few ms between calls; the exact byte match is proven with
                // the deterministic stand-in model in StandInSpeechTests.
                Assert.Equal(0, bytes.Length % 2);
                Assert.InRange(bytes.Length, wav.Samples.Length * 2 * 0.95, wav.Samples.Length * 2 * 1.05);
            }
        }
    }

    [Fact]
    public async Task WholeWavFileHasExactRiffAndDataSizes()
    {
        var bytes = await ServiceClient.SpeakAsync(factory.CreateClient(), Sentence, "wav", stream: false);

        var wav = WavFile.Parse(bytes);
        Assert.Equal((uint)bytes.Length - 8, wav.RiffSize);
        Assert.Equal(24_000, wav.SampleRate);
        Assert.Equal(1, wav.Channels);
        Assert.Equal((uint)bytes.Length - 44, wav.DataSize);
        Assert.Equal(bytes.Length - 44, wav.Samples.Length * 2);
    }

    [Fact]
    public async Task HalfSpeedTakesTwiceAsLongAndDoubleSpeedHalfAsLong()
    {
        var client = factory.CreateClient();
        const string text = "The quick brown fox jumps over the lazy dog, twice, and then once more for good measure.";

        var normal = await DurationAsync(client, text, 1.0);
        var slow = await DurationAsync(client, text, 0.5);
        var fast = await DurationAsync(client, text, 2.0);

        Assert.InRange(slow / normal, 1.7, 2.3);
        Assert.InRange(fast / normal, 0.4, 0.62);
    }

    [Fact]
    public async Task ResponsesCarryTheLegacyHeadersAndSayWhichEngineServed()
    {
        var response = await ServiceClient.PostSpeechAsync(factory.CreateClient(), new { model = "tts-1", input = "Hi.", voice = "alloy", response_format = "mp3" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/mpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment; filename=speech.mp3", response.Content.Headers.ContentDisposition?.ToString());
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.Equal("espeak-ng", Assert.Single(response.Headers.GetValues("X-Tts-Engine")));
    }

    [Fact]
    public async Task VoiceMayBeGivenAsAnObjectWithAnId()
    {
        var response = await ServiceClient.PostSpeechAsync(factory.CreateClient(), new { model = "tts-1", input = "Hi.", voice = new { id = "af_heart" }, response_format = "wav" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/wav", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ServerSentEventsCarryDecodableAudioDeltasAndEndWithUsage()
    {
        // Act
        var response = await ServiceClient.PostSpeechAsync(factory.CreateClient(), new { model = "gpt-4o-mini-tts", input = Sentence, voice = "nova", response_format = "wav", stream_format = "sse" });
        var body = await response.Content.ReadAsStringAsync();

        // Assert
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement)
            .ToList();
        Assert.True(events.Count >= 2);
        Assert.All(events[..^1], e => Assert.Equal("speech.audio.delta", e.GetProperty("type").GetString()));
        var audio = events[..^1].SelectMany(e => Convert.FromBase64String(e.GetProperty("audio").GetString()!)).ToArray();
        var decoded = await FfmpegProbe.DecodeAsync(audio, "wav");
        Assert.True(decoded.Duration.TotalSeconds > 1);
        var done = events[^1];
        Assert.Equal("speech.audio.done", done.GetProperty("type").GetString());
        var usage = done.GetProperty("usage");
        Assert.True(usage.GetProperty("input_tokens").GetInt32() > 0);
        Assert.Equal(
            usage.GetProperty("input_tokens").GetInt32() + usage.GetProperty("output_tokens").GetInt32(),
            usage.GetProperty("total_tokens").GetInt32());
    }

    private static async Task<double> DurationAsync(HttpClient client, string text, double speed) =>
        (await FfmpegProbe.DecodeAsync(await ServiceClient.SpeakAsync(client, text, "wav", stream: false, speed), "wav")).Duration.TotalSeconds;

    internal static int FindOpusHead(byte[] bytes)
    {
        var marker = "OpusHead"u8.ToArray();
        for (var i = 0; i + marker.Length < bytes.Length; i++)
        {
            if (bytes.AsSpan(i, marker.Length).SequenceEqual(marker))
            {
                return i;
            }
        }

        throw new InvalidDataException("No OpusHead packet.");
    }
}
