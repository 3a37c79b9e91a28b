using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;

namespace PatternTts.Service.Tests.Api;

/// <summary>What clients of the legacy container probe or rely on: /v1/test, /v1/audio/models and download links.</summary>
public sealed class LegacySurfaceTests
{
    [Fact]
    public async Task V1TestAnswersOkAsTheLegacyContainerDoes()
    {
        using var factory = new ServiceFactory();

        using var response = await factory.CreateClient().GetAsync("/v1/test");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"ok"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AudioModelsListsTheModelIdsInTheLegacyShape()
    {
        using var factory = new ServiceFactory();

        using var response = await factory.CreateClient().GetAsync("/v1/audio/models");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var ids = body.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).ToList();
        Assert.Equal(OpenAiModelIds.All, ids);
    }

    [Fact]
    public async Task ADownloadLinkServesExactlyTheAudioThatWasStreamed()
    {
        // Arrange
        using var factory = new ServiceFactory().With("Tts:TempDir", Directory.CreateTempSubdirectory("pattern-tts-dl-").FullName);
        var client = factory.CreateClient();

        // Act
        using var speech = await ServiceClient.PostSpeechAsync(client, new
        {
            model = "tts-1", input = "Keep a copy of this, please.", voice = "af_heart", response_format = "pcm", return_download_link = true,
        });
        var streamed = await speech.Content.ReadAsByteArrayAsync();
        var link = Assert.Single(speech.Headers.GetValues("X-Download-Path"));
        using var download = await client.GetAsync(link);

        // Assert
        Assert.Matches(@"^/v1/download/pattern-tts-[0-9a-f]{32}\.pcm$", link);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("audio/pcm", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(streamed, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ADownloadCanBeKeptInAnotherFormatThanTheResponse()
    {
        using var factory = new ServiceFactory().With("Tts:TempDir", Directory.CreateTempSubdirectory("pattern-tts-dl-").FullName);
        var client = factory.CreateClient();

        using var speech = await ServiceClient.PostSpeechAsync(client, new
        {
            model = "tts-1", input = "One file, two formats.", voice = "af_heart", response_format = "pcm", return_download_link = true, download_format = "wav",
        });
        var pcm = await speech.Content.ReadAsByteArrayAsync();
        using var download = await client.GetAsync(Assert.Single(speech.Headers.GetValues("X-Download-Path")));
        var wav = WavFile.Parse(await download.Content.ReadAsByteArrayAsync());

        Assert.Equal("audio/wav", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(pcm.Length / 2, wav.Samples.Length);
    }

    [Theory]
    [InlineData("/v1/download/pattern-tts-00000000000000000000000000000000.mp3")]
    [InlineData("/v1/download/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/v1/download/speech.mp3")]
    public async Task AnUnknownOrForgedDownloadNameIsNotFoundInTheOpenAiShape(string path)
    {
        using var factory = new ServiceFactory();

        using var response = await factory.CreateClient().GetAsync(path);

        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{response.StatusCode}");
        Assert.NotNull((await ServiceClient.ReadErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task DownloadsAreBoundedInCountAndAge()
    {
        // Arrange
        var temp = Directory.CreateTempSubdirectory("pattern-tts-dl-").FullName;
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new DownloadStore(Microsoft.Extensions.Options.Options.Create(new TtsOptions { TempDir = temp }), time, NullLogger<DownloadStore>.Instance);
        var first = await KeepAsync(store);

        // Act
        for (var i = 0; i < DownloadStore.MaxFiles + 5; i++)
        {
            await KeepAsync(store);
        }

        var kept = Directory.GetFiles(store.Directory).Length;
        var newest = await KeepAsync(store);
        File.SetLastWriteTimeUtc(Path.Combine(store.Directory, newest), time.GetUtcNow().UtcDateTime);
        time.Advance(DownloadStore.MaxAge + TimeSpan.FromMinutes(1));

        // Assert
        Assert.True(kept <= DownloadStore.MaxFiles, $"{kept} files kept");
        Assert.Null(store.Find(first));
        Assert.Null(store.Find(newest));
        Assert.False(File.Exists(Path.Combine(store.Directory, newest)));
    }

    private static async Task<string> KeepAsync(DownloadStore store)
    {
        await using var download = store.Create(AudioFormat.Pcm);
        await download.Open().WriteAsync(new byte[16]);
        await download.CompleteAsync();
        return download.Name;
    }
}
