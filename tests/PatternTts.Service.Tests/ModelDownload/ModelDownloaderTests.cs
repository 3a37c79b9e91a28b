using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace PatternTts.Service.Tests.ModelDownload;

public sealed class ModelDownloaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pattern-tts-download-").FullName;
    private readonly byte[] _content = RandomNumberGenerator.GetBytes(300_000);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private ModelVariant Variant(Uri url, string? sha256 = null) => new(
        "test", "kokoro-test.onnx", url, _content.Length,
        sha256 ?? Convert.ToHexStringLower(SHA256.HashData(_content)), "test file");

    private static Uri ClosedPortUrl()
    {
        // Bind and release a port so nothing listens on it: the connection is refused at once.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/model-files-v1.0/kokoro-test.onnx");
    }

    private static HttpClient Serving(byte[] body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(new StubHandler(_ => new HttpResponseMessage(status) { Content = new ByteArrayContent(body) }));

    [Fact]
    public async Task UnreachableServerFailsFastWithManualInstructions()
    {
        // Arrange
        var url = ClosedPortUrl();
        var destination = Path.Combine(_directory, "models", "kokoro-test.onnx");
        using var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) };
        using var client = new HttpClient(handler);
        var downloader = new ModelDownloader(client, TextWriter.Null, interactiveProgress: false);

        // Act
        var ex = await Assert.ThrowsAsync<ModelDownloadException>(() =>
            downloader.DownloadAsync(Variant(url), destination, null, CancellationToken.None));

        // Assert
        Assert.StartsWith("Could not reach 127.0.0.1", ex.Message);
        Assert.Contains("may be offline", ex.Message);
        Assert.Contains(url.AbsoluteUri, ex.Message);
        Assert.Contains(destination, ex.Message);
        Assert.Contains("TTS_MODEL_PATH", ex.Message);
        Assert.False(File.Exists(destination));
        Assert.False(File.Exists(destination + ".partial"));
    }

    [Fact]
    public async Task CommandReportsAnUnreachableMirrorAndExitsWithFailure()
    {
        var url = ClosedPortUrl();
        using var client = new HttpClient();
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await ModelDownloadCommand.RunAsync(
            ["download-model", "--variant", "fp16", "--dest", _directory, "--url", url.AbsoluteUri],
            client, stdout, stderr, interactive: false, _directory, CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Contains("Could not reach 127.0.0.1", stderr.ToString());
        Assert.Contains(Path.Combine(_directory, "kokoro-v1.0.fp16.onnx"), stderr.ToString());
    }

    [Fact]
    public async Task VerifiedDownloadIsRenamedIntoPlaceWithProgressLines()
    {
        // Arrange
        var destination = Path.Combine(_directory, "models", "kokoro-test.onnx");
        using var client = Serving(_content);
        var output = new StringWriter();
        var downloader = new ModelDownloader(client, output, interactiveProgress: false);

        // Act
        await downloader.DownloadAsync(Variant(new Uri("http://mirror.invalid/m.onnx")), destination, null, CancellationToken.None);

        // Assert
        Assert.Equal(_content, await File.ReadAllBytesAsync(destination));
        Assert.False(File.Exists(destination + ".partial"));
        var text = output.ToString();
        Assert.Contains("100.0%", text);
        Assert.Contains("MB/s", text);
        Assert.Contains("sha256 verified", text);
    }

    [Fact]
    public async Task TerminalProgressRedrawsOneBarLine()
    {
        using var client = Serving(_content);
        var output = new StringWriter();

        await new ModelDownloader(client, output, interactiveProgress: true).DownloadAsync(
            Variant(new Uri("http://mirror.invalid/m.onnx")), Path.Combine(_directory, "m.onnx"), null, CancellationToken.None);

        var text = output.ToString();
        Assert.Contains("\r[##############################] 100.0%", text);
        Assert.DoesNotContain("\n100.0%", text);
    }

    [Fact]
    public async Task DownloadWithTheWrongHashIsDeletedAndReported()
    {
        var destination = Path.Combine(_directory, "kokoro-test.onnx");
        using var client = Serving(_content);
        var downloader = new ModelDownloader(client, TextWriter.Null, interactiveProgress: false);
        var variant = Variant(new Uri("http://mirror.invalid/m.onnx"), sha256: new string('0', 64));

        var ex = await Assert.ThrowsAsync<ModelDownloadException>(() =>
            downloader.DownloadAsync(variant, destination, null, CancellationToken.None));

        Assert.Contains("failed verification", ex.Message);
        Assert.False(File.Exists(destination));
        Assert.False(File.Exists(destination + ".partial"));
    }

    [Fact]
    public async Task HttpErrorStatusIsReported()
    {
        using var client = Serving([], HttpStatusCode.NotFound);
        var downloader = new ModelDownloader(client, TextWriter.Null, interactiveProgress: false);

        var ex = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.DownloadAsync(
            Variant(new Uri("http://mirror.invalid/m.onnx")), Path.Combine(_directory, "m.onnx"), null, CancellationToken.None));

        Assert.Contains("answered 404", ex.Message);
    }

    [Fact]
    public async Task ExistingVerifiedFileIsNotDownloadedAgain()
    {
        var destination = Path.Combine(_directory, "kokoro-test.onnx");
        await File.WriteAllBytesAsync(destination, _content);
        using var client = new HttpClient(new StubHandler(_ => throw new InvalidOperationException("must not be called")));
        var output = new StringWriter();

        await new ModelDownloader(client, output, interactiveProgress: false)
            .DownloadAsync(Variant(new Uri("http://mirror.invalid/m.onnx")), destination, null, CancellationToken.None);

        Assert.Contains("Already present and verified", output.ToString());
    }

    [Fact]
    public async Task VerifyOnlyChecksAFileAgainstTheCatalogEntryForItsName()
    {
        var path = Path.Combine(_directory, "kokoro-v1.0.int8.onnx");
        await File.WriteAllBytesAsync(path, _content);
        var stderr = new StringWriter();

        using var client = new HttpClient();

        var exit = await ModelDownloadCommand.RunAsync(["download-model", "--verify-only", path],
            client, TextWriter.Null, stderr, interactive: false, _directory, CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Contains("FAILED", stderr.ToString());
        Assert.Contains("92,361,271 bytes", stderr.ToString());
    }

    [Theory]
    [InlineData("--variant", "fp8")]
    [InlineData("--bogus")]
    [InlineData("--dest")]
    public async Task BadArgumentsExitWithUsage(params string[] args)
    {
        var stderr = new StringWriter();
        using var client = new HttpClient();

        var exit = await ModelDownloadCommand.RunAsync(args, client, TextWriter.Null, stderr,
            interactive: false, _directory, CancellationToken.None);

        Assert.Equal(2, exit);
        Assert.Contains("Usage: download-model", stderr.ToString());
    }

    [Fact]
    public void DefaultDestinationIsTheRepositoryModelsFolder()
    {
        File.WriteAllText(Path.Combine(_directory, "PatternTts.sln"), "");
        var project = Directory.CreateDirectory(Path.Combine(_directory, "PatternTts.Service")).FullName;

        var path = ModelDownloadCommand.DestinationPath(ModelCatalog.Int8, null, project);

        if (Environment.GetEnvironmentVariable("TTS_MODEL_PATH") is null)
        {
            Assert.Equal(Path.Combine(_directory, "models", "kokoro-v1.0.int8.onnx"), path);
        }
        Assert.Equal(Path.Combine(project, "x", "kokoro-v1.0.int8.onnx"),
            ModelDownloadCommand.DestinationPath(ModelCatalog.Int8, "x", project));
    }

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(respond(request));
    }
}
