using System.Net.Http.Json;
using PatternTts.Router.Proxy;

namespace PatternTts.Router.Tests;

/// <summary>
/// Phase 1's evidence: each mirrored answer compared with the legacy answer the client got, by status class,
/// content type and length of audio (never the bytes, never the input text).
/// </summary>
public sealed class ShadowComparisonTests(RouterFixture fixture) : IClassFixture<RouterFixture>
{
    private const string SecretText = "the quarterly numbers nobody may read";

    [Fact]
    public async Task AnswersOfTheSameLengthMatchAndALongerOneIsADurationMismatchWithoutTheText()
    {
        // Arrange
        fixture.Reset(0, phase: 1);
        fixture.Legacy.Audio = _ => ("audio/wav", FakeArm.Wav(1.0));
        fixture.New.Audio = body => ("audio/wav", FakeArm.Wav(body.Contains("longer", StringComparison.Ordinal) ? 2.0 : 1.1));
        var before = (await fixture.GetRolloutAsync()).Shadow.Comparison;

        // Act
        await SpeakAsync("matching-user", $"{SecretText}, same length");
        await SpeakAsync("longer-user", $"{SecretText}, longer");
        var comparison = (await Eventually.WaitAsync(() => fixture.GetRolloutAsync(), s => s.Shadow.Comparison.Compared >= before.Compared + 2,
            "both shadow answers to be compared")).Shadow.Comparison;
        using var raw = await fixture.Client.SendAsync(fixture.Admin(HttpMethod.Get, "/admin/rollout"));
        var json = await raw.Content.ReadAsStringAsync();

        // Assert
        Assert.Equal(before.Matched + 1, comparison.Matched);
        Assert.Equal(before.Mismatched + 1, comparison.Mismatched);
        Assert.Equal(before.Mismatches.GetValueOrDefault("duration") + 1, comparison.Mismatches["duration"]);
        var mismatch = comparison.Recent[0];
        Assert.Equal(["duration"], mismatch.Kinds);
        Assert.Equal(("POST", "/v1/audio/speech", "af_heart", "wav"), (mismatch.Method, mismatch.Path, mismatch.Voice, mismatch.Format));
        Assert.Equal(1.0, mismatch.LegacySeconds!.Value, 3);
        Assert.Equal(2.0, mismatch.NewSeconds!.Value, 3);
        Assert.DoesNotContain("quarterly", json);
    }

    [Fact]
    public async Task ANewArmErrorWhereLegacySpokeIsAStatusMismatch()
    {
        // Arrange
        fixture.Reset(0, phase: 1);
        fixture.Legacy.Audio = _ => ("audio/wav", FakeArm.Wav(1.0));
        fixture.New.Refuse = _ => (400, """{"error":{"message":"no","type":"invalid_request_error","param":"voice","code":"voice_not_found"}}""");
        var before = (await fixture.GetRolloutAsync()).Shadow.Comparison;

        // Act
        await SpeakAsync("status-user", "hello");
        var comparison = (await Eventually.WaitAsync(() => fixture.GetRolloutAsync(), s => s.Shadow.Comparison.Compared > before.Compared,
            "the shadow answer to be compared")).Shadow.Comparison;

        // Assert
        Assert.Equal(before.Mismatches.GetValueOrDefault("status") + 1, comparison.Mismatches["status"]);
        Assert.Equal((200, 400), (comparison.Recent[0].LegacyStatus, comparison.Recent[0].NewStatus));
        Assert.True(comparison.MismatchRate > 0);
    }

    private async Task SpeakAsync(string user, string input)
    {
        using var request = fixture.Speech(user);
        request.Content = JsonContent.Create(new { model = "tts-1", input, voice = "af_heart", response_format = "wav" });
        using var response = await fixture.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("legacy", response.Arm());
        Assert.Equal(FakeArm.Wav(1.0).Length, (await response.Content.ReadAsByteArrayAsync()).Length);
    }
}

public sealed class AudioMeterTests
{
    [Fact]
    public void Mp3DurationIsCountedFromItsFramesWhateverTheChunking()
    {
        // 42 MPEG-2 layer III frames at 24 kHz and 64 kbps: 192 bytes and 576 samples each, 1.008 s in all.
        var frame = new byte[192];
        frame[0] = 0xFF;
        frame[1] = 0xF3;
        frame[2] = 0x84;
        frame[3] = 0xC4;
        var mp3 = Enumerable.Repeat(frame, 42).SelectMany(f => f).ToArray();
        var meter = new AudioMeter("audio/mpeg");

        for (var offset = 0; offset < mp3.Length; offset += 77)
        {
            meter.Observe(mp3.AsSpan(offset, Math.Min(77, mp3.Length - offset)));
        }

        Assert.Equal(1.008, meter.Duration!.Value.TotalSeconds, 3);
        Assert.Equal(mp3.Length, meter.Bytes);
    }

    [Theory]
    [InlineData("audio/wav", 1.5)]
    [InlineData("audio/pcm", 0.75)]
    public void WavAndPcmDurationsComeFromTheirBytes(string mediaType, double seconds)
    {
        var bytes = mediaType == "audio/wav" ? FakeArm.Wav(seconds) : new byte[(int)(seconds * 24_000) * 2];
        var meter = new AudioMeter(mediaType);

        meter.Observe(bytes.AsSpan(0, 10));
        meter.Observe(bytes.AsSpan(10));

        Assert.Equal(seconds, meter.Duration!.Value.TotalSeconds, 3);
    }

    [Fact]
    public void OpusIsComparedBySizeOnly()
    {
        var meter = new AudioMeter("audio/opus");

        meter.Observe(new byte[1000]);

        Assert.Null(meter.Duration);
        Assert.Equal(1000, meter.Bytes);
    }
}
