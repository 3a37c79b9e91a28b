using System.Security.Cryptography;

namespace PatternTts.Service.Tests.ModelDownload;

public sealed class ModelFileVerifierTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pattern-tts-verify-").FullName;
    private readonly byte[] _content = RandomNumberGenerator.GetBytes(100_003);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private (string Path, ModelVariant Variant) FileAndEntry()
    {
        var path = Path.Combine(_directory, "kokoro-test.onnx");
        File.WriteAllBytes(path, _content);
        var variant = new ModelVariant("test", "kokoro-test.onnx", new Uri("http://127.0.0.1/kokoro-test.onnx"),
            _content.Length, Convert.ToHexStringLower(SHA256.HashData(_content)), "test file");
        return (path, variant);
    }

    [Fact]
    public async Task MatchingSizeAndHashIsValid()
    {
        var (path, variant) = FileAndEntry();

        var sync = ModelFileVerifier.Verify(path, variant.Bytes, variant.Sha256);
        var async = await ModelFileVerifier.VerifyAsync(path, variant, CancellationToken.None);

        Assert.True(sync.IsValid, sync.Message);
        Assert.True(async.IsValid, async.Message);
        Assert.Contains(variant.Sha256, sync.Message);
    }

    [Fact]
    public void UpperCaseExpectedHashIsAccepted()
    {
        var (path, variant) = FileAndEntry();

        Assert.True(ModelFileVerifier.Verify(path, variant.Bytes, variant.Sha256.ToUpperInvariant()).IsValid);
    }

    [Fact]
    public void WrongSizeIsReportedWithBothSizes()
    {
        var (path, variant) = FileAndEntry();
        File.WriteAllBytes(path, _content[..^1]);

        var result = ModelFileVerifier.Verify(path, variant);

        Assert.False(result.IsValid);
        Assert.Contains("100,002 bytes", result.Message);
        Assert.Contains("100,003 bytes", result.Message);
    }

    [Fact]
    public async Task WrongHashIsReportedWithBothHashes()
    {
        var (path, variant) = FileAndEntry();
        var altered = _content.ToArray();
        altered[50_000] ^= 0xFF;
        File.WriteAllBytes(path, altered);

        var result = await ModelFileVerifier.VerifyAsync(path, variant, CancellationToken.None);

        Assert.False(result.IsValid);
        Assert.Contains(variant.Sha256, result.Message);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(altered)), result.Message);
    }

    [Fact]
    public void MissingFileIsReported()
    {
        var (_, variant) = FileAndEntry();
        var missing = Path.Combine(_directory, "absent.onnx");

        var result = ModelFileVerifier.Verify(missing, variant);

        Assert.False(result.IsValid);
        Assert.Contains("does not exist", result.Message);
    }

    [Fact]
    public void CatalogPinsTheFactSheetFiles()
    {
        Assert.Equal(["int8", "fp32", "fp16"], KokoroReleaseFiles.All.Select(v => v.Name));
        Assert.All(KokoroReleaseFiles.All, v =>
        {
            Assert.Equal("https", v.Url.Scheme);
            Assert.EndsWith("/model-files-v1.0/" + v.FileName, v.Url.AbsoluteUri);
            Assert.Matches("^[0-9a-f]{64}$", v.Sha256);
        });
        Assert.Equal(92_361_271, KokoroReleaseFiles.Int8.Bytes);
        Assert.Equal("kokoro-v1.0.int8.onnx", KokoroReleaseFiles.Default.FileName);
    }
}
