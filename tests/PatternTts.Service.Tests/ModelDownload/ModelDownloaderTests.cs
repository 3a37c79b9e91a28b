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

    /// <summary>Serves the body in four parts a little apart, long enough for the redirected progress to report.</summary>
    private static HttpClient ServingSlowly(byte[] body) =>
        new(new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new SlowStream(body, parts: 4, pause: TimeSpan.FromMilliseconds(600))),
        }));

    [Fact]
    public async Task UnreachableServerFailsFastWithManualInstructions()
    {
        // Arrange
        var url = ClosedPortUrl();
        var destination = Path.Combine(_directory, "models", "kokoro-test.onnx");
        using var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) };
        using var client = new HttpClient(handler);
        var downloader = new ModelDownloader(client, ModelDownloader.Console(TextWriter.Null, interactive: false));

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
        using var client = ServingSlowly(_content);
        var output = new StringWriter();
        var downloader = new ModelDownloader(client, ModelDownloader.Console(output, interactive: false));

        // Act
        await downloader.DownloadAsync(Variant(new Uri("http://mirror.invalid/m.onnx")), destination, null, CancellationToken.None);

        // Assert
        Assert.Equal(_content, await File.ReadAllBytesAsync(destination));
        Assert.False(File.Exists(destination + ".partial"));
        var text = output.ToString();
        Assert.Matches(@"(?m)^kokoro-test\.onnx: \d+%$", text);
        Assert.DoesNotMatch("\r(?!\n)", text);
        Assert.Contains("sha256 verified", text);
    }

    [Fact]
    public async Task TerminalProgressRedrawsOneBarLine()
    {
        using var client = Serving(_content);
        var output = new StringWriter();

        await new ModelDownloader(client, ModelDownloader.Console(output, interactive: true)).DownloadAsync(
            Variant(new Uri("http://mirror.invalid/m.onnx")), Path.Combine(_directory, "m.onnx"), null, CancellationToken.None);

        // A live display: the cursor is hidden while the bar redraws in place, and the bar ends full.
        var text = output.ToString();
        Assert.Contains("\u001b[?25l", text);
        Assert.Contains("━━━━━━━━━━", text);
        Assert.Contains("100%", text);
        Assert.DoesNotContain("kokoro-test.onnx: ", text);
    }

    [Fact]
    public async Task DownloadWithTheWrongHashIsDeletedAndReported()
    {
        var destination = Path.Combine(_directory, "kokoro-test.onnx");
        using var client = Serving(_content);
        var downloader = new ModelDownloader(client, ModelDownloader.Console(TextWriter.Null, interactive: false));
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
        var downloader = new ModelDownloader(client, ModelDownloader.Console(TextWriter.Null, interactive: false));

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

        await new ModelDownloader(client, ModelDownloader.Console(output, interactive: false))
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

        var path = ModelDownloadCommand.DestinationPath(KokoroReleaseFiles.Int8, null, project);

        if (Environment.GetEnvironmentVariable("TTS_MODEL_PATH") is null)
        {
            Assert.Equal(Path.Combine(_directory, "models", "kokoro-v1.0.int8.onnx"), path);
        }
        Assert.Equal(Path.Combine(project, "x", "kokoro-v1.0.int8.onnx"),
            ModelDownloadCommand.DestinationPath(KokoroReleaseFiles.Int8, "x", project));
    }

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(respond(request));
    }
}

/// <summary>A read-only body that arrives in parts with a pause before each after the first.</summary>
internal sealed class SlowStream(byte[] body, int parts, TimeSpan pause) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => body.Length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= body.Length)
        {
            return 0;
        }

        if (_position > 0)
        {
            await Task.Delay(pause, cancellationToken);
        }

        var count = Math.Min(buffer.Length, Math.Min((body.Length + parts - 1) / parts, body.Length - _position));
        body.AsMemory(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
