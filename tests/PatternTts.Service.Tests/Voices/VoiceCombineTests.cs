using System.Net;
using System.Net.Http.Json;

namespace PatternTts.Service.Tests.Voices;

/// <summary>Voice mixing: the combine endpoint's file, saving by name, and the style the model is fed.</summary>
public sealed class VoiceCombineTests
{
    private const int Floats = StandInVoices.Rows * StandInVoices.RowLength;

    [Theory]
    [InlineData("\"af_heart+am_michael\"")]
    [InlineData("[\"af_heart\", \"am_michael\"]")]
    public async Task CombiningTwoVoicesReturnsTheirEvenMixAsARawVoiceFile(string body)
    {
        // Arrange
        using var factory = new ServiceFactory().WithStandIn();

        // Act
        var response = await factory.CreateClient().PostAsync("/v1/audio/voices/combine", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("af_heart_plus_am_michael.bin", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("false", Assert.Single(response.Headers.GetValues("X-Voice-Saved")));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(522_240, bytes.Length);
        var mixed = new float[Floats];
        Buffer.BlockCopy(bytes, 0, mixed, 0, bytes.Length);
        Assert.Equal(Mix((0, 1.0), (1, 1.0)), mixed);
    }

    [Theory]
    [InlineData("af_heart++am_michael", "+am_michael")]
    [InlineData("af_heart(x)+am_michael", "af_heart(x)")]
    [InlineData("af_heart+", "+")]
    public async Task MalformedExpressionsAreRefusedNamingTheBadPart(string expression, string badPart)
    {
        using var factory = new ServiceFactory().WithStandIn();

        var response = await factory.CreateClient().PostAsJsonAsync("/v1/audio/voices/combine", expression);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ServiceClient.ReadErrorAsync(response);
        Assert.Equal("invalid_voice_expression", error.GetProperty("code").GetString());
        Assert.Contains($"'{badPart}'", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task UnknownVoicesAndWrongBodiesAreBadRequests()
    {
        using var factory = new ServiceFactory().WithStandIn();
        var client = factory.CreateClient();

        var unknown = await client.PostAsJsonAsync("/v1/audio/voices/combine", "af_heart+zz_nobody");
        var number = await client.PostAsync("/v1/audio/voices/combine", new StringContent("42", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("voice_not_found", (await ServiceClient.ReadErrorAsync(unknown)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, number.StatusCode);
    }

    [Theory]
    [InlineData("af_heart(2)+am_michael(1)", 2.0, 1.0)]
    [InlineData("af_heart-am_michael", 1.0, -1.0)]
    [InlineData("af_heart(3)-am_michael(1)", 3.0, -1.0)]
    public async Task MixedVoicesFeedTheModelTheWeightedStyleRowNormalisedOverAllTerms(string voice, double heart, double michael)
    {
        // Arrange
        using var factory = new ServiceFactory().WithStandIn();
        var model = factory.UseRecordingModel();

        // Act
        var response = await ServiceClient.PostSpeechAsync(factory.CreateClient(), new { model = "kokoro", input = "Hello world.", voice, response_format = "pcm", stream = false });

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(model.Calls);
        var row = call.TokenIds.Length - 1;
        var expected = Mix((0, heart), (1, michael)).AsSpan(row * StandInVoices.RowLength, StandInVoices.RowLength).ToArray();
        Assert.Equal(expected, call.Style);
        Assert.NotEqual(StandInVoices.Row(0, row), call.Style);
    }

    [Fact]
    public async Task SavedMixCanBeUsedByNameOnlyWhenTheOperatorAllowsSaving()
    {
        // Arrange
        using var scratch = new ScratchDirectory();
        using var allowed = scratch.SavingService();
        var model = allowed.UseRecordingModel();
        using var refused = new ServiceFactory().WithStandIn();

        // Act
        var combine = await allowed.CreateClient().PostAsJsonAsync("/v1/audio/voices/combine", "af_heart(2)+am_michael(1)");
        var spoken = await ServiceClient.PostSpeechAsync(allowed.CreateClient(), new { model = "kokoro", input = "Hello world.", voice = "af_heart_2_plus_am_michael_1", response_format = "pcm", stream = false });
        await refused.CreateClient().PostAsJsonAsync("/v1/audio/voices/combine", "af_heart(2)+am_michael(1)");
        var unsaved = await ServiceClient.PostSpeechAsync(refused.CreateClient(), new { model = "kokoro", input = "Hello world.", voice = "af_heart_2_plus_am_michael_1", response_format = "pcm", stream = false });

        // Assert
        Assert.Equal(HttpStatusCode.OK, combine.StatusCode);
        Assert.Equal("true", Assert.Single(combine.Headers.GetValues("X-Voice-Saved")));
        Assert.True(File.Exists(Path.Combine(scratch.Path, "voices", "af_heart_2_plus_am_michael_1.bin")));
        Assert.Equal(HttpStatusCode.OK, spoken.StatusCode);
        var call = Assert.Single(model.Calls);
        var row = call.TokenIds.Length - 1;
        Assert.Equal(Mix((0, 2.0), (1, 1.0)).AsSpan(row * StandInVoices.RowLength, StandInVoices.RowLength).ToArray(), call.Style);
        Assert.Equal(HttpStatusCode.BadRequest, unsaved.StatusCode);
        Assert.Equal("voice_not_found", (await ServiceClient.ReadErrorAsync(unsaved)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task SavingStopsAtTheLimitOfKeptMixesAndAMixThatCancelsOutIsRefused()
    {
        // Arrange
        using var scratch = new ScratchDirectory();
        using var allowed = scratch.SavingService();
        var client = allowed.CreateClient();

        // Act: one distinct mix more than may be kept.
        var saved = new List<string>();
        for (var weight = 1; weight <= VoiceStore.MaxSavedVoices + 1; weight++)
        {
            using var combine = await client.PostAsJsonAsync("/v1/audio/voices/combine", $"af_heart({weight})+am_michael(1)");
            Assert.Equal(HttpStatusCode.OK, combine.StatusCode);
            saved.Add(Assert.Single(combine.Headers.GetValues("X-Voice-Saved")));
        }

        using var cancelling = await client.PostAsJsonAsync("/v1/audio/voices/combine", "af_heart-af_heart");

        // Assert
        Assert.All(saved.Take(VoiceStore.MaxSavedVoices), s => Assert.Equal("true", s));
        Assert.Equal("false", saved[^1]);
        Assert.Equal(VoiceStore.MaxSavedVoices, Directory.EnumerateFiles(Path.Combine(scratch.Path, "voices"), "*.bin").Count());
        Assert.Equal(HttpStatusCode.BadRequest, cancelling.StatusCode);
        Assert.Equal("invalid_voice_expression", (await ServiceClient.ReadErrorAsync(cancelling)).GetProperty("code").GetString());
    }

    /// <summary>The mix the facts sheet specifies, in the same float arithmetic: Σ sign·wᵢ/Σ|wᵢ| · voiceᵢ.</summary>
    private static float[] Mix(params (int Voice, double Weight)[] terms)
    {
        var total = terms.Sum(t => Math.Abs(t.Weight));
        var mixed = new float[Floats];
        var row = new float[StandInVoices.RowLength];
        foreach (var (voice, weight) in terms)
        {
            var scale = (float)(Math.Sign(weight) * Math.Abs(weight) / total);
            for (var r = 0; r < StandInVoices.Rows; r++)
            {
                var values = StandInVoices.Row(voice, r);
                for (var j = 0; j < values.Length; j++)
                {
                    mixed[r * StandInVoices.RowLength + j] += scale * values[j];
                }
            }
        }

        return mixed;
    }
}

/// <summary>A temporary folder deleted with the test.</summary>
internal sealed class ScratchDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("tts-saved-").FullName;

    /// <summary>The stand-in service, allowed to save mixes here.</summary>
    public ServiceFactory SavingService() => new ServiceFactory().WithStandIn().With("Tts:AllowVoiceSaving", "true").With("Tts:TempDir", Path);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
