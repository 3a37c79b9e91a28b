using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Audio;

namespace PatternTts.Service.Tests.Api;

/// <summary><c>include_timestamps</c> on OpenAI's SSE stream: word times on the input's own words, and the official client unbothered.</summary>
public sealed class SseTimestampTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private const string Input = "I paid $5 for 2 apples in 1492, at 10:30 am. Dr. Smith agreed!";

    [Fact]
    public async Task TimestampEventsNameEveryInputWordInOrderWithItsOffsetsAndTimesInsideTheAudio()
    {
        var response = await ServiceClient.PostSpeechAsync(factory.CreateClient(),
            new { model = "tts-1", input = Input, voice = "af_heart", response_format = "pcm", stream_format = "sse", include_timestamps = true });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = ParseEvents(await response.Content.ReadAsStringAsync());
        var types = events.Select(e => e["type"]!.GetValue<string>()).ToList();
        Assert.Equal("speech.audio.done", types[^1]);
        Assert.Equal(["speech.audio.delta", "speech.audio.done", "speech.audio.timestamps"], types.Distinct().Order(StringComparer.Ordinal));
        // Every timestamp event follows the audio it describes.
        Assert.Equal("speech.audio.delta", types[0]);

        var audio = events.Where(e => (string)e["type"]! == "speech.audio.delta").SelectMany(e => Convert.FromBase64String((string)e["audio"]!)).ToArray();
        var seconds = audio.Length / 2 / 24_000.0;
        var words = events.Where(e => (string)e["type"]! == "speech.audio.timestamps").SelectMany(e => e["timestamps"]!.AsArray()).ToList();

        Assert.Equal(ServiceClient.Words(Input), words.Select(w => (string)w!["word"]!));
        var previousEnd = 0.0;
        foreach (var word in words)
        {
            var (start, end) = ((int)word!["start_index"]!, (int)word["end_index"]!);
            Assert.Contains((string)word["word"]!, Input[start..end], StringComparison.Ordinal);
            var (from, to) = ((double)word["start_time"]!, (double)word["end_time"]!);
            Assert.True(from >= previousEnd - 0.001 && to >= from && to <= seconds + 0.01, $"{word["word"]} at {from}-{to} after {previousEnd} in {seconds:F2} s");
            previousEnd = to;
        }

        // "$5" is read as two words and spans them both.
        var money = words.Single(w => (string)w!["word"]! == "$5");
        Assert.True((double)money!["end_time"]! - (double)money["start_time"]! > 0.2);
    }

    [Fact]
    public async Task WithoutTheFlagTheStreamHasOnlyOpenAisEvents()
    {
        var response = await ServiceClient.PostSpeechAsync(factory.CreateClient(),
            new { model = "tts-1", input = Input, voice = "af_heart", response_format = "mp3", stream_format = "sse" });

        var types = ParseEvents(await response.Content.ReadAsStringAsync()).Select(e => (string)e["type"]!).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(["speech.audio.delta", "speech.audio.done"], types);
    }

    [Fact]
    public async Task TimestampsWithoutSseAreABadRequestNamingTheField()
    {
        var response = await ServiceClient.PostSpeechAsync(factory.CreateClient(),
            new { model = "tts-1", input = Input, voice = "af_heart", include_timestamps = true });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("include_timestamps", (await ServiceClient.ReadErrorAsync(response)).GetProperty("param").GetString());
    }

#pragma warning disable OPENAI001 // The SDK marks its speech streaming as for evaluation.
    [Fact]
    public async Task OfficialClientStreamsAudioWithTimestampEventsInIt()
    {
        var http = factory.CreateClient();
        var options = new OpenAIClientOptions { Endpoint = new Uri(http.BaseAddress!, "/v1"), Transport = new HttpClientPipelineTransport(http) };
        var bodies = new List<string>();
        options.AddPolicy(new AddTimestampsPolicy(bodies), PipelinePosition.PerCall);
        // The SDK streams speech only for the gpt-4o-mini-tts family.
        var audio = new OpenAIClient(new ApiKeyCredential("sk-test"), options).GetAudioClient("gpt-4o-mini-tts");

        var updates = new List<StreamingSpeechUpdate>();
        await foreach (var update in await audio.GenerateSpeechStreamingAsync(Input, GeneratedSpeechVoice.Alloy, new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Pcm }))
        {
            updates.Add(update);
        }

        Assert.Contains("\"include_timestamps\":true", bodies.Single(), StringComparison.Ordinal);
        var pcm = updates.OfType<StreamingSpeechAudioDeltaUpdate>().SelectMany(u => u.AudioBytes.ToArray()).ToArray();
        Assert.True(pcm.Length / 2 / 24_000.0 > 2, $"{pcm.Length} bytes of audio");
        Assert.IsType<StreamingSpeechAudioDoneUpdate>(updates[^1]);
    }
#pragma warning restore OPENAI001

    private static List<JsonNode> ParseEvents(string body) =>
        [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => JsonNode.Parse(e["data: ".Length..])!)];

    /// <summary>Adds the extension field to the SDK's own request body, as a client wanting timestamps would.</summary>
    private sealed class AddTimestampsPolicy(List<string> bodies) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessAsync(message, pipeline, currentIndex).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            using var buffer = new MemoryStream();
            await message.Request.Content!.WriteToAsync(buffer);
            var body = JsonNode.Parse(buffer.ToArray())!.AsObject();
            body["include_timestamps"] = true;
            var json = body.ToJsonString();
            bodies.Add(json);
            message.Request.Content = BinaryContent.Create(BinaryData.FromString(json));
            await ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}
