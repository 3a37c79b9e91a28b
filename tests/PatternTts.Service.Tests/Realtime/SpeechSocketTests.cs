using System.Net;
using System.Net.WebSockets;
using PatternTts.Service.Tests.StandIn;
using PatternTts.Service.Tests.Web;

namespace PatternTts.Service.Tests.Realtime;

/// <summary>The speech socket with a real <see cref="ClientWebSocket"/> against the service on a real port (espeak-ng engine, real voices).</summary>
public sealed class SpeechSocketTests : IDisposable
{
    private const string Paragraph =
        "Hello there, and welcome to the demo. The weather today is sunny with a light breeze from the west. " +
        "Tomorrow it will rain in the morning, then clear up by the afternoon. Enjoy your day!";

    private readonly KestrelService _service = new(new ServiceFactory().With("Tts:MaxSockets", "20").With("Tts:SocketIdleSeconds", "2"));

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task TypingInThreeCharacterAppendsGivesFirstAudioOnceTheFirstClauseIsCompleteNotAfterTheParagraph()
    {
        await using var client = await SpeechSocketClient.ConnectAsync(_service.BaseUrl);
        await client.SendAsync(new { type = "session.update", voice = "af_heart", response_format = "pcm" });
        Assert.Equal("session.updated", (await client.NextAsync())!.Type);

        var sent = 0;
        var firstAudioAfter = -1;
        var frames = new List<SocketFrame>();
        var typing = Task.Run(async () =>
        {
            for (var i = 0; i < Paragraph.Length; i += 3)
            {
                await client.AppendAsync(Paragraph.Substring(i, Math.Min(3, Paragraph.Length - i)));
                Volatile.Write(ref sent, Math.Min(i + 3, Paragraph.Length));
                await Task.Delay(25);
            }

            await client.SendAsync(new { type = "input.end" });
        });

        while (await client.NextAsync() is { } frame)
        {
            if (frame.Audio is not null && firstAudioAfter < 0)
            {
                firstAudioAfter = Volatile.Read(ref sent);
            }

            frames.Add(frame);
        }

        await typing;
        var firstClauseEnd = Paragraph.IndexOf(". ", StringComparison.Ordinal) + 2;
        Assert.InRange(firstAudioAfter, firstClauseEnd, Paragraph.Length / 2);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        var done = Assert.Single(frames, f => f.Type == "audio.done");
        Assert.Equal("completed", (string)done.Event!["status"]!);
        Assert.Same(done, frames[^1]);

        // The binary frames joined are one pcm stream at 24 kHz of the whole paragraph.
        var pcm = frames.Where(f => f.Audio is not null).SelectMany(f => f.Audio!).ToArray();
        var decoded = await FfmpegProbe.DecodeAsync(pcm, "pcm");
        Assert.InRange(decoded.Duration.TotalSeconds, 8, 20);
        Assert.Equal((double)done.Event!["audio_seconds"]!, decoded.Duration.TotalSeconds, 0.01);
        Assert.True(FfmpegProbe.Rms(decoded.Samples) > 0.01, "the audio is silent");
    }

    [Fact]
    public async Task CancelStopsTheSynthesisUnderWaySoNoAudioFollowsTheFirstChunkAndTheSocketSpeaksAgainAfterwards()
    {
        // The stand-in model holds every call after the first until released: when the cancel arrives, the second
        // call is under way, so any audio after it would be a chunk the cancel failed to stop.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        RecordingKokoroModel? model = null;
        using var service = new KestrelService(new ServiceFactory().WithStandIn(),
            factory => model = factory.UseRecordingModel((call, cancellationToken) =>
                call == 0 ? Task.CompletedTask : release.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken)));
        await using var client = await SpeechSocketClient.ConnectAsync(service.BaseUrl);
        await client.AppendAsync(string.Concat(Enumerable.Repeat(Paragraph + " ", 6)));
        await client.SendAsync(new { type = "input.flush" });

        var first = await client.NextAsync();
        Assert.NotNull(first!.Audio);
        await Eventually.WaitAsync(() => Task.FromResult(model!.Calls.Count), calls => calls == 2, "the second model call under way");
        await client.SendAsync(new { type = "response.cancel" });
        var afterCancel = await client.UntilAsync("audio.done");

        Assert.DoesNotContain(afterCancel, f => f.Audio is not null);
        Assert.Equal("cancelled", (string)afterCancel[^1].Event!["status"]!);
        Assert.Equal(2, model!.Calls.Count);

        release.SetResult();
        await client.AppendAsync("Still here.");
        await client.SendAsync(new { type = "input.flush" });
        var again = await client.UntilAsync("audio.done");
        Assert.Contains(again, f => f.Audio is not null);
        Assert.Equal("completed", (string)again[^1].Event!["status"]!);
        Assert.Equal(2, (int)again[^1].Event!["response_id"]!);
    }

    [Fact]
    public async Task AClientThatStopsReadingHoldsTheSynthesisBackAndStillGetsEveryChunkOnceItReads()
    {
        RecordingKokoroModel? model = null;
        using var service = new KestrelService(new ServiceFactory().WithStandIn(), factory => model = factory.UseRecordingModel());
        await using var client = await SpeechSocketClient.ConnectNotReadingAsync(service.BaseUrl, receiveBufferBytes: 4096);
        await client.SendAsync(new { type = "session.update", voice = "af_heart", response_format = "pcm", sample_rate = 48_000 });
        await client.AppendAsync(string.Concat(Enumerable.Repeat(Paragraph + " ", 20)));
        await client.SendAsync(new { type = "input.flush" });

        // Nothing is read: the awaited sends stop the speaking once the socket's buffers are full (here after 8 of
        // 100 model calls, 382 s of 48 kHz pcm in all).
        var stalledAt = await Eventually.WaitAsync(
            async () =>
            {
                var before = model!.Calls.Count;
                await Task.Delay(TimeSpan.FromSeconds(1));
                return (Before: before, After: model.Calls.Count);
            },
            calls => calls.Before > 0 && calls.Before == calls.After, "the model calls to stop while the client reads nothing", TimeSpan.FromSeconds(60));

        client.Read();
        var frames = await client.UntilAsync("audio.done");
        var done = frames[^1].Event!;
        var totalCalls = model!.Calls.Count;
        Assert.Equal("completed", (string)done["status"]!);
        Assert.InRange(stalledAt.After, 1, totalCalls / 2);
        // Nothing was dropped while the client was not reading: the audio is all there.
        var bytes = frames.Where(f => f.Audio is not null).Sum(f => (long)f.Audio!.Length);
        Assert.Equal((double)done["audio_seconds"]!, bytes / 2.0 / 48_000, 0.01);
    }

    [Fact]
    public async Task HundredSocketsAtOnceAreBoundedAtTheConfiguredTwentyWithFourTwentyNineAtTheUpgrade()
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ =>
        {
            var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            try
            {
                await socket.ConnectAsync(new Uri(_service.BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/v1/audio/speech/stream"), CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }

            return socket;
        }));

        try
        {
            Assert.Equal(20, attempts.Count(s => s.State == WebSocketState.Open));
            Assert.Equal(80, attempts.Count(s => s.HttpStatusCode == HttpStatusCode.TooManyRequests));

            // A closed socket frees its place.
            var open = attempts.First(s => s.State == WebSocketState.Open);
            await open.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            await Eventually.WaitAsync(
                async () =>
                {
                    try
                    {
                        await using var next = await SpeechSocketClient.ConnectAsync(_service.BaseUrl);
                        return true;
                    }
                    catch (WebSocketException)
                    {
                        return false;
                    }
                },
                connected => connected,
                "a socket in the freed place");
        }
        finally
        {
            foreach (var socket in attempts)
            {
                socket.Dispose();
            }
        }
    }

    [Fact]
    public async Task TimingsNameTheWordsTheClientSentWithOffsetsIntoEverythingAppended()
    {
        const string text = "First, I paid $5. Then we left at 10:30 pm.";
        await using var client = await SpeechSocketClient.ConnectAsync(_service.BaseUrl);
        await client.SendAsync(new { type = "session.update", include_timestamps = true, response_format = "mp3", binary_audio = false });
        await client.AppendAsync(text[..20]);
        await client.AppendAsync(text[20..]);
        await client.SendAsync(new { type = "input.end" });

        var frames = await client.UntilClosedAsync();

        var words = frames.Where(f => f.Type == "audio.timings").SelectMany(f => f.Event!["timestamps"]!.AsArray()).ToList();
        Assert.Equal(Api.ServiceClient.Words(text), words.Select(w => (string)w!["word"]!));
        Assert.All(words, w => Assert.Contains((string)w!["word"]!, text[(int)w["start_index"]!..(int)w["end_index"]!], StringComparison.Ordinal));
        Assert.True((double)words[^1]!["start_time"]! > 1, "times run on the socket's clock across clauses");
        var mp3 = frames.Where(f => f.Type == "audio.delta").SelectMany(f => Convert.FromBase64String((string)f.Event!["audio"]!)).ToArray();
        var decoded = await FfmpegProbe.DecodeAsync(mp3, "mp3");
        Assert.InRange((double)words[^1]!["end_time"]!, 0.5, decoded.Duration.TotalSeconds + 0.1);
    }

    [Theory]
    [InlineData("wav")]
    [InlineData("flac")]
    public async Task FormatsThatCannotBeCutMidStreamAreRefusedAtSessionUpdate(string format)
    {
        await using var client = await SpeechSocketClient.ConnectAsync(_service.BaseUrl);
        await client.SendAsync(new { type = "session.update", response_format = format });

        var frames = await client.UntilClosedAsync();

        var error = Assert.Single(frames).Event!["error"]!;
        Assert.Equal("response_format", (string)error["param"]!);
        Assert.Equal("invalid_request_error", (string)error["type"]!);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
    }

    [Fact]
    public async Task MalformedJsonIsAnErrorEventThenCloseCodeInvalidPayload()
    {
        await using var client = await SpeechSocketClient.ConnectAsync(_service.BaseUrl);
        await client.SendAsync("not an object");

        var frames = await client.UntilClosedAsync();

        Assert.Equal("invalid_json", (string)Assert.Single(frames).Event!["error"]!["code"]!);
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, client.CloseStatus);
    }

    [Fact]
    public async Task AnIdleSocketIsClosedWithAnErrorNamingTheTimeout()
    {
        await using var client = await SpeechSocketClient.ConnectAsync(_service.BaseUrl);

        var frames = await client.UntilClosedAsync();

        Assert.True(frames.Count == 1, $"{frames.Count} frames, closed {client.CloseStatus}");
        Assert.Equal("idle_timeout", (string)Assert.Single(frames).Event!["error"]!["code"]!);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.CloseStatus);
    }

    [Fact]
    public async Task APlainGetIsABadRequestInOpenAisShape()
    {
        var response = await _service.CreateClient().GetAsync("/v1/audio/speech/stream");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("websocket_required", (await Api.ServiceClient.ReadErrorAsync(response)).GetProperty("code").GetString());
    }
}
