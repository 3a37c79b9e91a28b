using System.Net;

namespace PatternTts.Service.Tests.Api;

/// <summary><c>sample_rate</c> and G.711 end to end: what comes back decodes with ffmpeg at the asked rate and the right length.</summary>
public sealed class SampleRateTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private const string Sentence = "Your call is important to us, please hold.";

    public static TheoryData<string, int> FormatsAndRates()
    {
        var data = new TheoryData<string, int>();
        foreach (var format in new[] { "mp3", "opus", "aac", "flac", "wav", "pcm", "ulaw", "alaw" })
        {
            foreach (var rate in new[] { 8_000, 16_000, 22_050, 24_000, 44_100, 48_000 })
            {
                data.Add(format, rate);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FormatsAndRates))]
    public async Task EveryFormatDecodesAtTheAskedRateWithTheDurationOfTheDefault(string format, int rate)
    {
        var client = factory.CreateClient();
        var reference = await FfmpegProbe.DecodeAsync(await ServiceClient.SpeakAsync(client, Sentence, "wav", stream: false), "wav");

        var response = await ServiceClient.PostSpeechAsync(client, new { model = "tts-1", input = Sentence, voice = "af_heart", response_format = format, sample_rate = rate, stream = false });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var decoded = await FfmpegProbe.DecodeAsync(bytes, format, rawSampleRate: rate);

        if (format == "opus")
        {
            // Opus always decodes at 48 kHz; the stream's own rate is the OpusHead input rate.
            Assert.Equal(rate, BitConverter.ToInt32(bytes, SpeechApiTests.FindOpusHead(bytes) + 12));
        }
        else
        {
            Assert.Equal(rate, decoded.SampleRate);
        }

        Assert.Equal(1, decoded.Channels);
        // ADTS carries no gapless trim: AAC decodes with its priming frame and a padded last frame (1,024 samples each),
        // which is 256 ms at 8 kHz.
        var framing = format == "aac" ? 2 * 1024.0 / rate : 0;
        Assert.InRange(decoded.Duration.TotalSeconds, reference.Duration.TotalSeconds * 0.95, reference.Duration.TotalSeconds * 1.05 + framing);
        Assert.True(FfmpegProbe.Rms(decoded.Samples) > 0.01, "the audio is silent");
    }

    [Theory]
    [InlineData("ulaw", "audio/basic", "pcm_mulaw")]
    [InlineData("alaw", "audio/x-alaw-basic", "pcm_alaw")]
    public async Task GSevenElevenIsEightKilohertzByDefaultRawOrInsideAWav(string law, string contentType, string codecName)
    {
        var client = factory.CreateClient();

        var raw = await ServiceClient.PostSpeechAsync(client, new { model = "tts-1", input = Sentence, voice = "af_heart", response_format = law, stream = false });
        var wav = await ServiceClient.PostSpeechAsync(client, new { model = "tts-1", input = Sentence, voice = "af_heart", response_format = "wav", codec = law, stream = false });

        Assert.Equal(contentType, raw.Content.Headers.ContentType?.MediaType);
        var rawBytes = await raw.Content.ReadAsByteArrayAsync();
        var wavBytes = await wav.Content.ReadAsByteArrayAsync();
        var fromWav = await FfmpegProbe.DecodeAsync(wavBytes, "wav");
        Assert.Equal(codecName, fromWav.CodecName);
        Assert.Equal(8_000, fromWav.SampleRate);
        // One byte a sample: the raw body is the audio's length at 8 kHz, and the WAV's data and fact chunks say so too.
        var fromRaw = await FfmpegProbe.DecodeAsync(rawBytes, law, rawSampleRate: 8_000);
        Assert.Equal(rawBytes.Length, fromRaw.Samples.Length);
        Assert.Equal(fromWav.Samples.Length, BitConverter.ToInt32(wavBytes, 46));
        Assert.Equal(wavBytes.Length - 58, BitConverter.ToInt32(wavBytes, 54));
        // espeak-ng's length drifts by a few ms between calls.
        Assert.InRange(rawBytes.Length, fromWav.Samples.Length * 0.95, fromWav.Samples.Length * 1.05);
    }

    [Theory]
    [InlineData(11_025, null, "mp3", "sample_rate", "invalid_sample_rate")]
    [InlineData(0, null, "wav", "sample_rate", "invalid_sample_rate")]
    [InlineData(null, "ulaw", "mp3", "codec", "invalid_codec")]
    [InlineData(null, "gsm", "wav", "codec", "invalid_codec")]
    [InlineData(null, "alaw", "ulaw", "codec", "invalid_codec")]
    public async Task UnsupportedRateOrCodecIsABadRequestNamingTheField(int? rate, string? codec, string format, string param, string code)
    {
        var response = await ServiceClient.PostSpeechAsync(factory.CreateClient(),
            new { model = "tts-1", input = Sentence, voice = "af_heart", response_format = format, sample_rate = rate, codec });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ServiceClient.ReadErrorAsync(response);
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
    }
}
