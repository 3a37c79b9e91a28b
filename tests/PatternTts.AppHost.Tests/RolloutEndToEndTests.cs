using System.ClientModel;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using OpenAI;
using OpenAI.Audio;
using Xunit.Abstractions;

namespace PatternTts.AppHost.Tests;

/// <summary>
/// Drives the started AppHost through the router only, as the gateway and operators would. Each test sets the
/// rollout it needs first, because the app (and so the router's state) is shared.
/// </summary>
[Collection(PatternTtsAppCollection.Name)]
public sealed class RolloutEndToEndTests(PatternTtsAppFixture fixture, ITestOutputHelper output)
{
    private const string Legacy = "legacy";
    private const string New = "new";
    private const int UsersPerSample = 40;

    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan TrafficPause = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task OpenAiClientThroughRouterGetsDecodableWav()
    {
        // Arrange
        using var cts = new CancellationTokenSource(TestTimeout);
        await fixture.SetRolloutAsync(50, cts.Token);
        var client = new OpenAIClient(
            new ApiKeyCredential("test"),
            new OpenAIClientOptions { Endpoint = new Uri(fixture.RouterEndpoint, "/v1") });
        var audio = client.GetAudioClient("tts-1");

        // Act
        var speech = await audio.GenerateSpeechAsync(
            "Hello from the rollout router.",
            GeneratedSpeechVoice.Alloy,
            new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Wav },
            cts.Token);

        // Assert
        var wav = WavFile.Parse(speech.Value.ToArray());
        Assert.Equal(1, wav.AudioFormat);
        Assert.Equal(1, wav.Channels);
        Assert.Equal(24000, wav.SampleRate);
        Assert.Equal(16, wav.BitsPerSample);
        Assert.InRange(wav.DurationSeconds, 0.3, 10);
        Assert.True(wav.PeakAmplitude > 1000, $"Audio is near silent (peak {wav.PeakAmplitude}).");
    }

    [Fact]
    public async Task SpeechSocketThroughTheRouterSpeaksOnTheNewServiceWithEveryUserOnLegacy()
    {
        // Arrange: the legacy container has no socket, so the router sends every socket to the new arm.
        using var cts = new CancellationTokenSource(TestTimeout);
        await fixture.SetRolloutAsync(0, cts.Token);
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(fixture.RouterEndpoint) { Scheme = "ws", Path = "/v1/audio/speech/stream" }.Uri, cts.Token);

        // Act
        foreach (var message in new object[]
        {
            new { type = "session.update", response_format = "pcm" },
            new { type = "input.append", text = "Hello through the router, " },
            new { type = "input.append", text = "one clause at a time." },
            new { type = "input.end" },
        })
        {
            await socket.SendAsync(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(message), System.Net.WebSockets.WebSocketMessageType.Text, true, cts.Token);
        }

        var pcm = new MemoryStream();
        var events = new List<string>();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
            {
                break;
            }

            if (result.MessageType == System.Net.WebSockets.WebSocketMessageType.Binary)
            {
                pcm.Write(buffer, 0, result.Count);
            }
            else
            {
                events.Add(System.Text.Encoding.UTF8.GetString(buffer, 0, result.Count));
            }
        }

        // Assert: 16-bit samples at 24 kHz of a real sentence, and the response completed.
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        Assert.Contains(events, e => e.Contains("\"audio.done\"", StringComparison.Ordinal) && e.Contains("\"completed\"", StringComparison.Ordinal));
        var samples = new short[pcm.Length / 2];
        Buffer.BlockCopy(pcm.ToArray(), 0, samples, 0, samples.Length * 2);
        Assert.InRange(samples.Length / 24_000.0, 1, 15);
        Assert.True(samples.Max(s => Math.Abs((int)s)) > 1000, "the audio is near silent");
    }

    [Fact]
    public async Task HalfRolloutServesBothArmsAcrossUsers()
    {
        // Arrange
        using var cts = new CancellationTokenSource(TestTimeout);
        await fixture.SetRolloutAsync(50, cts.Token);

        // Act
        var results = await SpeakAsManyAsync("half", cts.Token);

        // Assert
        AssertAllServedAudio(results);
        var counts = CountByArm(results);
        output.WriteLine(Describe(counts));
        Assert.True(counts.GetValueOrDefault(Legacy) > 0, Describe(counts));
        Assert.True(counts.GetValueOrDefault(New) > 0, Describe(counts));
        Assert.Equal(UsersPerSample, counts.GetValueOrDefault(Legacy) + counts.GetValueOrDefault(New));
    }

    [Fact]
    public async Task SameUserStaysOnOneArm()
    {
        // Arrange
        using var cts = new CancellationTokenSource(TestTimeout);
        await fixture.SetRolloutAsync(50, cts.Token);

        // Act
        var results = new List<SpeechResult>();
        for (var i = 0; i < 10; i++)
        {
            results.Add(await fixture.SpeakAsync("sticky-user-7", cts.Token));
        }

        // Assert
        AssertAllServedAudio(results);
        Assert.Single(results.Select(r => r.Arm).Distinct());
    }

    [Fact]
    public async Task ChangingPercentageThroughAdminApiMovesTraffic()
    {
        // Arrange
        using var cts = new CancellationTokenSource(TestTimeout);

        // Act
        await fixture.SetRolloutAsync(0, cts.Token);
        var atZero = await SpeakAsManyAsync("move", cts.Token);
        await fixture.SetRolloutAsync(100, cts.Token);
        var atHundred = await SpeakAsManyAsync("move", cts.Token);

        // Assert
        AssertAllServedAudio(atZero);
        AssertAllServedAudio(atHundred);
        Assert.All(atZero, r => Assert.Equal(Legacy, r.Arm));
        Assert.All(atHundred, r => Assert.Equal(New, r.Arm));
    }

    [Fact]
    public async Task DashboardCommandsChangeRolloutThroughAdminApi()
    {
        // Arrange
        using var cts = new CancellationTokenSource(TestTimeout);
        await fixture.SetRolloutAsync(0, cts.Token);

        // Act
        var replica = (await fixture.RouterReplicasAsync(2, cts.Token))[0].Id;
        var raise = await fixture.App.ResourceCommands.ExecuteCommandAsync(replica, "rollout-25", cts.Token);
        await fixture.WaitForEveryReplicaAsync(p => p == 25, "both replicas at 25%", cts.Token);
        var afterRaise = await fixture.GetRolloutPercentageAsync(cts.Token);
        var rollback = await fixture.App.ResourceCommands.ExecuteCommandAsync(replica, "rollout-rollback", cts.Token);
        await fixture.WaitForEveryReplicaAsync(p => p == 0, "both replicas at 0%", cts.Token);
        var afterRollback = await fixture.GetRolloutPercentageAsync(cts.Token);

        // Assert
        Assert.True(raise.Success, raise.Message);
        Assert.Equal(25, afterRaise);
        Assert.True(rollback.Success, rollback.Message);
        Assert.Equal(0, afterRollback);
    }

    [Fact]
    public async Task ADashboardCommandOnOneRouterReplicaReachesBoth()
    {
        // Arrange
        using var cts = new CancellationTokenSource(TestTimeout);
        await fixture.SetRolloutAsync(0, cts.Token);
        var replicas = await fixture.RouterReplicasAsync(2, cts.Token);
        using var first = new HttpClient { BaseAddress = replicas[0].Address };
        using var second = new HttpClient { BaseAddress = replicas[1].Address };

        // Act: the command runs on the first replica's row only.
        var command = await fixture.App.ResourceCommands.ExecuteCommandAsync(replicas[0].Id, "rollout-50", cts.Token);
        var onSecond = await Eventually.WaitAsync(() => PatternTtsAppFixture.GetRolloutPercentageAsync(second, cts.Token), p => p == 50,
            "the second replica to see 50%", TimeSpan.FromSeconds(2));
        var onFirst = await PatternTtsAppFixture.GetRolloutPercentageAsync(first, cts.Token);

        // Assert
        Assert.True(command.Success, command.Message);
        Assert.Equal(2, replicas.Count);
        Assert.NotEqual(replicas[0].Address, replicas[1].Address);
        Assert.Equal(50, onFirst);
        Assert.Equal(50, onSecond);
    }

    [Fact]
    public async Task ProgressionCommandsStartPauseAndAbortTheAutomaticRollout()
    {
        // Arrange
        using var cts = new CancellationTokenSource(TestTimeout);
        await fixture.SetRolloutAsync(0, cts.Token);
        var replica = (await fixture.RouterReplicasAsync(2, cts.Token))[0].Id;

        // Act
        var start = await fixture.App.ResourceCommands.ExecuteCommandAsync(replica, "progression-start", cts.Token);
        // The router endpoint balances over both replicas; the other one adopts the change within a moment.
        var afterStart = await Eventually.WaitAsync(() => fixture.GetRolloutPercentageAsync(cts.Token), p => p == 10,
            "the progression's first step on the replica answering", TimeSpan.FromSeconds(2));
        var pause = await fixture.App.ResourceCommands.ExecuteCommandAsync(replica, "progression-pause", cts.Token);
        var abort = await fixture.App.ResourceCommands.ExecuteCommandAsync(replica, "progression-abort", cts.Token);
        using var state = await fixture.SendAdminAsync(HttpMethod.Get, "/admin/rollout", json: null, cts.Token);
        var progression = (await state.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(cts.Token)).GetProperty("progression");

        // Assert
        Assert.True(start.Success, start.Message);
        Assert.True(pause.Success, pause.Message);
        Assert.True(abort.Success, abort.Message);
        Assert.Equal(10, afterStart);
        Assert.Equal("aborted", progression.GetProperty("status").GetString());
    }

    [Fact]
    public async Task TheLegacyProbesAnswerThroughTheRouterFromEitherArm()
    {
        // Arrange
        using var cts = new CancellationTokenSource(TestTimeout);
        await fixture.SetRolloutAsync(50, cts.Token);

        // Act
        var answers = new List<(string? Arm, string Body)>();
        for (var i = 0; i < 12; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/test");
            request.Headers.Add("X-Pattern-User", $"probe-user-{i}");
            using var response = await fixture.Router.SendAsync(request, cts.Token);
            response.EnsureSuccessStatusCode();
            answers.Add((response.Headers.TryGetValues("X-Pattern-Arm", out var arm) ? arm.Single() : null, await response.Content.ReadAsStringAsync(cts.Token)));
        }

        // Assert
        Assert.All(answers, a => Assert.Equal("""{"status":"ok"}""", a.Body));
        Assert.Contains(answers, a => a.Arm == New);
        Assert.Contains(answers, a => a.Arm == Legacy);
    }

    [Fact]
    public async Task PhaseThreeSendsNothingToLegacy()
    {
        // Arrange
        using var cts = new CancellationTokenSource(TestTimeout);
        await fixture.SetRolloutAsync(50, cts.Token);

        // Act
        var phase = await fixture.App.ResourceCommands.ExecuteCommandAsync(
            (await fixture.RouterReplicasAsync(2, cts.Token))[1].Id, "rollout-phase-3", cts.Token);
        await fixture.WaitForEveryReplicaAsync(p => p == 100, "both replicas in phase 3", cts.Token);
        var results = await SpeakAsManyAsync("phase3", cts.Token);

        // Assert
        Assert.True(phase.Success, phase.Message);
        AssertAllServedAudio(results);
        Assert.All(results, r => Assert.Equal(New, r.Arm));
    }

    [Fact]
    public async Task AdminApiWithoutKeyIsRefused()
    {
        // Arrange
        using var cts = new CancellationTokenSource(TestTimeout);

        // Act
        using var response = await fixture.Router.GetAsync("/admin/rollout", cts.Token);

        // Assert
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
    }

    [Fact]
    public async Task StoppingNewArmDuringTrafficKeepsRequestsSucceeding()
    {
        // Arrange
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await fixture.SetRolloutAsync(100, cts.Token);
        // Stage 0: before the stop command; 1: while the arm shuts down; 2: once it refuses connections.
        var stages = new[] { new ConcurrentQueue<SpeechResult>(), new ConcurrentQueue<SpeechResult>(), new ConcurrentQueue<SpeechResult>() };
        var warmedUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stage = 0;

        // Bounded: it ends once 30 requests were sent after the arm went down, or after 3,000 in all; paced so
        // the stop lands mid-traffic rather than after a burst.
        var traffic = Task.Run(async () =>
        {
            for (var i = 0; i < 3000 && stages[2].Count < 30; i++)
            {
                await Task.Delay(TrafficPause, cts.Token);
                var sentIn = Volatile.Read(ref stage);
                stages[sentIn].Enqueue(await fixture.SpeakAsync($"failover-user-{i}", cts.Token));
                if (stages[0].Count >= 5)
                {
                    warmedUp.TrySetResult();
                }
            }
        }, cts.Token);

        try
        {
            // Act
            await warmedUp.Task.WaitAsync(cts.Token);
            Volatile.Write(ref stage, 1);
            var stop = await fixture.App.ResourceCommands.ExecuteCommandAsync(
                PatternTtsAppFixture.ServiceResource, KnownResourceCommands.StopCommand, cts.Token);
            output.WriteLine($"Stop command: success={stop.Success} {stop.Message}");
            // Here DCP can report "timed out waiting for process to stop" for a `dotnet run` process it did stop, and
            // then never move the resource to a terminal state; so the proof that the arm is down is that it
            // refuses connections.
            await fixture.WaitUntilRefusingAsync(PatternTtsAppFixture.ServiceResource, TimeSpan.FromMinutes(2), cts.Token);
            Volatile.Write(ref stage, 2);
            await traffic.WaitAsync(cts.Token);
            output.WriteLine(
                $"Before stop: {Describe(CountByArm(stages[0]))}; stopping: {Describe(CountByArm(stages[1]))}; down: {Describe(CountByArm(stages[2]))}");

            // Assert
            Assert.All(stages, AssertAllServedAudio);
            Assert.All(stages[0], r => Assert.Equal(New, r.Arm));
            Assert.Equal(30, stages[2].Count);
            Assert.All(stages[2], r => Assert.Equal(Legacy, r.Arm));
        }
        finally
        {
            // Later tests need the new arm back.
            using var restartCts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await fixture.App.ResourceCommands.ExecuteCommandAsync(
                PatternTtsAppFixture.ServiceResource, KnownResourceCommands.StartCommand, restartCts.Token);
            await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(
                PatternTtsAppFixture.ServiceResource, restartCts.Token);
        }
    }

    private async Task<List<SpeechResult>> SpeakAsManyAsync(string prefix, CancellationToken cancellationToken)
    {
        var results = new List<SpeechResult>(UsersPerSample);
        for (var i = 0; i < UsersPerSample; i++)
        {
            results.Add(await fixture.SpeakAsync($"{prefix}-user-{i}", cancellationToken));
        }

        return results;
    }

    private static void AssertAllServedAudio(IEnumerable<SpeechResult> results) => Assert.All(results, r =>
    {
        Assert.True(r.StatusCode == 200, $"Status {r.StatusCode} from arm {r.Arm ?? "(none)"}.");
        Assert.True(r.Arm is Legacy or New, $"X-Pattern-Arm was '{r.Arm}'.");
        Assert.True(WavFile.Parse(r.Body).PeakAmplitude > 0, "Silent audio.");
    });

    private static Dictionary<string, int> CountByArm(IEnumerable<SpeechResult> results) =>
        results.GroupBy(r => r.Arm ?? "(none)").ToDictionary(g => g.Key, g => g.Count());

    private static string Describe(Dictionary<string, int> counts) =>
        "Arms: " + string.Join(", ", counts.Select(kv => $"{kv.Key}={kv.Value}"));
}
