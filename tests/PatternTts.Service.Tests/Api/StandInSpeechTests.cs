using System.Net;

namespace PatternTts.Service.Tests.Api;

/// <summary>
/// The Kokoro path through the HTTP API, with the generated stand-in model in place of the real weights: what the
/// service feeds the model, how long text is cut, and how streaming, cancellation and failure behave.
/// </summary>
public sealed class StandInSpeechTests
{
    private static readonly string LongText = string.Join(' ', Enumerable.Range(1, 24).Select(i =>
        $"Sentence number {NumberWords(i)} walks through the quiet library, reading every shelf aloud; nothing is skipped"
        + (i % 3 == 0 ? " while the long clause keeps going on and on without any punctuation at all for quite a while" : string.Empty)
        + "."));

    [Fact]
    public async Task KnownSentenceFeedsTheModelItsExactTokensStyleRowAndSpeed()
    {
        // Arrange
        using var factory = new ServiceFactory().WithStandIn();
        var model = factory.UseRecordingModel();
        var client = factory.CreateClient();
        var expected = KokoroVocabulary.Default.Encode("həlˈO wˈɜɹld.");

        // Act
        var response = await ServiceClient.PostSpeechAsync(client, new { model = "kokoro", input = "Hello world.", voice = "af_heart", response_format = "wav", stream = false });

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("kokoro", Assert.Single(response.Headers.GetValues("X-Tts-Engine")));
        var call = Assert.Single(model.Calls);
        Assert.Equal(expected, call.TokenIds);
        Assert.Equal(StandInVoices.Row(0, expected.Count - 1), call.Style);
        Assert.Equal(1f, call.Speed);

        // The ONNX session really got [0, ids…, 0] and row T−1 of af_heart (voice 0).
        var output = await model.RunAsync(call.TokenIds, call.Style, call.Speed, CancellationToken.None);
        var segments = StandInDecoder.Decode(output.Audio);
        Assert.Equal([0L, .. expected, 0L], segments.Select(s => s.TokenId));
        Assert.All(segments, s => Assert.Equal((0, expected.Count - 1), (s.VoiceIndex, s.StyleRow)));
    }

    [Fact]
    public async Task InputIdsExportWithIntegerSpeedGetsTheSpeedItDeclares()
    {
        using var factory = new ServiceFactory().WithStandIn(StandInModelOptions.ExportB);
        var model = factory.UseRecordingModel();

        var response = await ServiceClient.PostSpeechAsync(factory.CreateClient(), new { model = "tts-1", input = "Hello world.", voice = "am_michael", response_format = "pcm", speed = 2.0, stream = false });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(model.Calls);
        Assert.Equal(2f, call.Speed);
        Assert.Equal(StandInVoices.Row(1, call.TokenIds.Length - 1), call.Style);
        Assert.Equal("input_ids", model.Info.TokensInputName);
    }

    [Fact]
    public async Task TwoThousandCharactersAreAllSpokenInChunksUnderTheModelLimit()
    {
        // Arrange
        using var factory = new ServiceFactory().WithStandIn();
        var model = factory.UseRecordingModel();
        var text = LongText[..2000];
        var phonemizer = new EspeakPhonemizer(new EspeakLibrary());
        var wholeTokens = 0;
        foreach (var clause in ClauseSplitter.Split(text))
        {
            var phonemes = await phonemizer.PhonemizeAsync(clause.Text, KokoroLanguage.All['a'], CancellationToken.None);
            wholeTokens += KokoroVocabulary.Default.Encode(phonemes).Count(id => id != SpaceToken);
        }

        // Act
        var wav = await ServiceClient.SpeakAsync(factory.CreateClient(), text, "wav", stream: false);

        // Assert
        var calls = model.Calls;
        Assert.True(calls.Count > 3);
        // Not streamed: whole sentences from the first call on, past the streamed first-chunk limit (40).
        Assert.InRange(calls[0].TokenIds.Length, 41, 250 + 2);
        Assert.All(calls, c => Assert.InRange(c.TokenIds.Length, 1, 510));
        // Spaces aside (cuts fall between words), the chunks carry the phonemes of the whole text.
        var spokenTokens = calls.Sum(c => c.TokenIds.Count(id => id != SpaceToken));
        Assert.Equal(wholeTokens, spokenTokens, tolerance: wholeTokens * 0.02);

        // Nothing is trimmed from stand-in audio (no silent samples), so the file holds every model sample.
        var modelSeconds = calls.Sum(c => (c.TokenIds.Length + 2) * StandInModelBuilder.UnitsFor(c.Speed) * 600) / 24_000.0;
        var decoded = await FfmpegProbe.DecodeAsync(wav, "wav");
        Assert.True(decoded.Duration.TotalSeconds >= modelSeconds, $"{decoded.Duration.TotalSeconds} s < {modelSeconds} s of model output");
    }

    [Fact]
    public async Task AStreamedRequestsFirstModelCallIsItsFirstClauseEndingAtTheComma()
    {
        using var factory = new ServiceFactory().WithStandIn();
        var model = factory.UseRecordingModel();
        const string Text = "Tomorrow will be cloudy, with a chance of rain in the afternoon and light winds from the south.";

        await ServiceClient.SpeakAsync(factory.CreateClient(), Text, "pcm", stream: true);

        var first = model.Calls[0].TokenIds;
        var expected = KokoroVocabulary.Default.Encode(
            await new EspeakPhonemizer(new EspeakLibrary()).PhonemizeAsync("Tomorrow will be cloudy,", KokoroLanguage.All['a'], CancellationToken.None));
        Assert.Equal(expected, first);
        Assert.Equal(2, model.Calls.Count);
    }

    [Fact]
    public async Task PcmIsExactlyTheWavDataWithoutAHeader()
    {
        using var factory = new ServiceFactory().WithStandIn();
        var client = factory.CreateClient();

        var wav = await ServiceClient.SpeakAsync(client, "Same words, same samples.", "wav", stream: false);
        var pcm = await ServiceClient.SpeakAsync(client, "Same words, same samples.", "pcm", stream: true);

        Assert.Equal(wav.AsSpan(44).ToArray(), pcm);
    }

    [Fact]
    public async Task FirstAudioArrivesWhileLaterChunksAreStillWaitingForTheModel()
    {
        // Arrange: every model call after the first waits until the test lets it go.
        using var factory = new ServiceFactory().WithStandIn();
        var release = new TaskCompletionSource();
        var secondCallWaiting = new TaskCompletionSource();
        var model = factory.UseRecordingModel((index, ct) =>
        {
            if (index == 0)
            {
                return Task.CompletedTask;
            }

            secondCallWaiting.TrySetResult();
            return release.Task.WaitAsync(ct);
        });
        var client = factory.CreateClient();

        // Act
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/audio/speech")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { model = "tts-1", input = LongText, voice = "af_heart", response_format = "mp3" }),
        };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        var drain = body.CopyToAsync(received);
        await secondCallWaiting.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var bytesBeforeRelease = await WaitForBytesAsync(received);
        var callsWhileHeld = model.Calls.Count;
        release.SetResult();
        await drain;

        // Assert
        Assert.True(bytesBeforeRelease > 0);
        Assert.Equal(2, callsWhileHeld);
        Assert.True(model.Calls.Count > 4);
        var decoded = await FfmpegProbe.DecodeAsync(received.ToArray(), "mp3");
        Assert.True(decoded.Duration.TotalSeconds > 60);
    }

    [Fact]
    public async Task ClientDisconnectStopsTheRemainingSynthesis()
    {
        // Arrange
        using var factory = new ServiceFactory().WithStandIn();
        var held = new TaskCompletionSource();
        var model = factory.UseRecordingModel((index, ct) =>
        {
            if (index != 1)
            {
                return Task.CompletedTask;
            }

            held.TrySetResult();
            return Task.Delay(Timeout.Infinite, ct);
        });
        var client = factory.CreateClient();
        using var cancel = new CancellationTokenSource();

        // Act
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/audio/speech")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { model = "tts-1", input = LongText, voice = "af_heart", response_format = "pcm" }),
        };
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        var body = await response.Content.ReadAsStreamAsync(cancel.Token);
        var received = new MemoryStream();
        var drain = body.CopyToAsync(received, cancel.Token);
        await held.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(await WaitForBytesAsync(received) > 0);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => drain);
        response.Dispose();

        // Assert: the held call was cancelled and no further chunk was sent to the model.
        await Task.Delay(300);
        Assert.Equal(2, model.Calls.Count);
        var after = await ServiceClient.PostSpeechAsync(client, new { model = "tts-1", input = "Still serving.", voice = "af_heart", response_format = "pcm" });
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task FailureAfterStreamingBeganAbortsTheResponseInsteadOfEndingItCleanly()
    {
        using var factory = new ServiceFactory().WithStandIn();
        factory.UseRecordingModel((index, _) => index == 1 ? Task.FromException(new InvalidDataException("model broke")) : Task.CompletedTask);
        var client = factory.CreateClient();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/audio/speech")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { model = "tts-1", input = LongText, voice = "af_heart", response_format = "wav" }),
        };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();

        await Assert.ThrowsAnyAsync<IOException>(() => body.CopyToAsync(Stream.Null));
    }

    [Fact]
    public async Task FailureBeforeAnyAudioIsAServerErrorInTheOpenAiShape()
    {
        using var factory = new ServiceFactory().WithStandIn(StandInModelOptions.ExportA with { PoisonLastSample = float.NaN });
        factory.UseRecordingModel();
        var client = factory.CreateClient();

        var response = await ServiceClient.PostSpeechAsync(client, new { model = "tts-1", input = "Hello.", voice = "af_heart" });

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("server_error", (await ServiceClient.ReadErrorAsync(response)).GetProperty("type").GetString());
    }

    /// <summary>Bytes the client holds once the server's flush has landed (the pipe hands them over asynchronously).</summary>
    private static async Task<long> WaitForBytesAsync(MemoryStream received)
    {
        for (var i = 0; i < 200 && received.Length == 0; i++)
        {
            await Task.Delay(25);
        }

        return received.Length;
    }

    private static readonly long SpaceToken = KokoroVocabulary.Default.Encode(" ")[0];

    private static string NumberWords(int i) => i switch
    {
        1 => "one", 2 => "two", 3 => "three", 4 => "four", 5 => "five", 6 => "six", 7 => "seven", 8 => "eight",
        9 => "nine", 10 => "ten", 11 => "eleven", 12 => "twelve", _ => "many",
    };
}
