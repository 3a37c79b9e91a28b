namespace PatternTts.Service.Tests.Synthesis.Kokoro;

public sealed class KokoroModelLocatorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pattern-tts-locate-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Touch(params string[] parts)
    {
        var path = Path.Combine([_root, .. parts]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1]);
        return path;
    }

    [Fact]
    public void FolderIsSearchedInPreferenceOrder()
    {
        Touch("models", "model_quantized.onnx");
        var preferred = Touch("models", "kokoro-v1.0.int8.onnx");
        Touch("models", "kokoro-v1.0.onnx");

        var location = KokoroModelLocator.Locate("models", _root);

        Assert.Equal(preferred, location.Path);
    }

    [Theory]
    [InlineData("kokoro-v1.0.fp16.onnx")]
    [InlineData("model.onnx")]
    [InlineData("model_fp16.onnx")]
    [InlineData("model_quantized.onnx")]
    public void EveryFileDownloadModelWritesAndEveryOnnxCommunityNameIsFound(string fileName)
    {
        var model = Touch("models", fileName);

        var location = KokoroModelLocator.Locate("models", _root);

        Assert.Equal(model, location.Path);
        Assert.Contains($"in {Path.Combine(_root, "models")}", location.Reason);
    }

    [Fact]
    public void EveryVariantDownloadModelOffersIsAmongTheNamesSearched()
    {
        Assert.All(PatternTts.Service.ModelDownload.KokoroReleaseFiles.All, v => Assert.Contains(v.FileName, TtsOptions.ModelFileNames));
    }

    [Fact]
    public void TheOnnxCommunityLayoutsOnnxSubfolderIsSearched()
    {
        var model = Touch("models", "onnx", "model_fp16.onnx");

        var location = KokoroModelLocator.Locate("models", _root);

        Assert.Equal(model, location.Path);
    }

    [Fact]
    public void TheReasonNamesTheOtherModelsInTheFolder()
    {
        Touch("models", "kokoro-v1.0.onnx");
        Touch("models", "kokoro-v1.0.int8.onnx");

        var location = KokoroModelLocator.Locate("models", _root);

        Assert.EndsWith("kokoro-v1.0.int8.onnx", location.Path);
        Assert.Contains("also there: kokoro-v1.0.onnx", location.Reason);
    }

    [Fact]
    public void RelativeFolderIsFoundFromASubdirectory()
    {
        var model = Touch("models", "kokoro-v1.0.onnx");
        var projectDir = Directory.CreateDirectory(Path.Combine(_root, "PatternTts.Service", "Hosting")).FullName;

        var location = KokoroModelLocator.Locate("models", projectDir);

        Assert.Equal(model, location.Path);
    }

    [Fact]
    public void EmptyNearerFolderDoesNotHideAModelFurtherUp()
    {
        var model = Touch("models", "model_quantized.onnx");
        var sub = Directory.CreateDirectory(Path.Combine(_root, "src", "models")).Parent!.FullName;

        var location = KokoroModelLocator.Locate("models", sub);

        Assert.Equal(model, location.Path);
    }

    [Fact]
    public void FilePathIsUsedAsIs()
    {
        var model = Touch("custom", "my-kokoro.onnx");

        Assert.Equal(model, KokoroModelLocator.Locate(model, "/").Path);
        Assert.Equal(model, KokoroModelLocator.Locate(Path.Combine("custom", "my-kokoro.onnx"), _root).Path);
    }

    [Fact]
    public void MissingModelGivesAReasonNamingTheSettingAndTheFiles()
    {
        Directory.CreateDirectory(Path.Combine(_root, "models"));

        var location = KokoroModelLocator.Locate(Path.Combine(_root, "models"), _root);

        Assert.False(location.Found);
        Assert.Null(location.Path);
        Assert.Contains("TTS_MODEL_PATH", location.Reason);
        Assert.Contains("kokoro-v1.0.int8.onnx", location.Reason);
        Assert.Contains("download-model", location.Reason);
    }
}
