using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace PatternTts.Service.Tests.Api;

/// <summary>
/// The contract under generated input: every request to a POST endpoint is answered 200 with real audio or a 4xx in
/// OpenAI's error shape, never a 5xx. Bounded in count so the suite stays fast; the seed is fixed so CI is repeatable,
/// and FUZZ_SEED picks another corpus.
/// </summary>
public sealed class FuzzTests
{
    /// <summary>Stands for a lone UTF-16 surrogate, which a JSON writer cannot emit but a client can send as an escape.</summary>
    private const string LoneSurrogate = "⟦lone⟧";

    private const int Requests = 150;

    /// <summary>One generated request: an endpoint and a body (valid JSON of mixed fields, or raw text).</summary>
    public sealed record FuzzRequest(string Path, string Body)
    {
        public override string ToString() => $"POST {Path} {Body}";
    }

    private static readonly string[] Fragments =
    [
        "Hello there.", "[pause:99999999999999999ms]", "[pause:922337203686s]", "[pause:0.5s]", "[pause:x]", LoneSurrogate,
        "<<<>>>", "~", "\\", "$5.3 thousand", "10:35 pm", "U.S.", "9999999999999999999999", "%", "[word](/wˈɜːd/)", "[a](/",
        "e.g. https://example.com:8080/x?y=1", "2024-02-30", "½", "🎉", "\u0000", "\n\n", "—", "C#", "1/0", "-.5", "ångström",
    ];

    private static readonly string[] Voices =
        ["alloy", "af_heart", "bf_emma", "af_bella+af_sky", "af_bella(2)+af_sky(1)", "af_bella-af_sky", "af_bella-af_bella", "nope", "", "x(", "jf_alpha", "a(NaN)+b"];

    private static readonly string[] Formats = ["wav", "pcm", "mp3", "opus", "flac", "aac", "ogg", ""];

    [Fact]
    public async Task GeneratedRequestsAreAnsweredWithAudioOrAClientErrorNeverAServerError()
    {
        // Arrange: the stand-in Kokoro model serves, and "espeak-ng" as the model reaches the other engine.
        using var factory = new ServiceFactory().WithStandIn();
        var client = factory.CreateClient();
        var seed = ulong.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var chosen) ? chosen : 20261202UL;
        var requests = Generator().Sample(Requests, new Rnd(seed), 30);
        var counts = new Dictionary<int, int>();

        // Act and assert
        foreach (var request in requests)
        {
            using var response = await client.PostAsync(request.Path, new StringContent(request.Body, System.Text.Encoding.UTF8, "application/json"));
            var status = (int)response.StatusCode;
            counts[status] = counts.GetValueOrDefault(status) + 1;
            Assert.True(status < 500, $"{status} for {request} (FUZZ_SEED={seed}): {await response.Content.ReadAsStringAsync()}");
            if (status >= 400)
            {
                await ServiceClient.ReadErrorAsync(response);
            }
            else if (response.Content.Headers.ContentType?.MediaType == "audio/wav")
            {
                Assert.NotEmpty(WavFile.Parse(await response.Content.ReadAsByteArrayAsync()).Samples);
            }
        }

        Assert.True(counts.GetValueOrDefault(200) > Requests / 10, $"too few requests spoke: {string.Join(", ", counts)}");
        Assert.True(counts.Keys.Any(s => s >= 400), "no request was refused: the generator is too tame");
    }

    private static Gen<FuzzRequest> Generator()
    {
        var text = Gen.OneOf(
            Gen.Elements(Fragments),
            ArbMap.Default.GeneratorFor<string>(),
            Gen.ListOf(Gen.Elements(Fragments)).Select(parts => string.Join(' ', parts)));
        var speed = Gen.OneOf(Gen.Choose(1, 45).Select(n => (object?)(n / 10.0)), Gen.Constant<object?>("fast"), Gen.Constant<object?>(null));
        var speech = from input in text
                     from voice in Gen.Elements(Voices)
                     from format in Gen.Elements(Formats)
                     from stream in Gen.Elements<bool?>(true, false, null)
                     from s in speed
                     from model in Gen.Elements("tts-1", "kokoro", "espeak-ng", "tts-9", "")
                     select Json(new JsonObject
                     {
                         ["model"] = model,
                         ["input"] = input,
                         ["voice"] = voice,
                         ["response_format"] = format,
                         ["stream"] = stream,
                         ["speed"] = s switch { double d => JsonValue.Create(d), string t => JsonValue.Create(t), _ => null },
                     });
        var phonemize = text.Select(t => Json(new JsonObject { ["text"] = t, ["language"] = "a" }));
        var phonemes = from p in text
                       from voice in Gen.Elements(Voices)
                       select Json(new JsonObject { ["phonemes"] = p, ["voice"] = voice });
        var combine = Gen.Elements(Voices).Select(v => JsonSerializer.Serialize(v));
        var raw = ArbMap.Default.GeneratorFor<string>();

        return Gen.OneOf(
            speech.Select(b => new FuzzRequest("/v1/audio/speech", b)),
            speech.Select(b => new FuzzRequest("/dev/captioned_speech", b)),
            phonemize.Select(b => new FuzzRequest("/dev/phonemize", b)),
            phonemes.Select(b => new FuzzRequest("/dev/generate_from_phonemes", b)),
            combine.Select(b => new FuzzRequest("/v1/audio/voices/combine", b)),
            from path in Gen.Elements("/v1/audio/speech", "/dev/phonemize", "/v1/audio/voices/combine")
            from body in raw
            select new FuzzRequest(path, body));
    }

    private static string Json(JsonObject body) =>
        body.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
            .Replace(LoneSurrogate, "\\ud800", StringComparison.Ordinal);
}
