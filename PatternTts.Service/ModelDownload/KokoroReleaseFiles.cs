namespace PatternTts.Service.ModelDownload;

/// <summary>One downloadable Kokoro export with the size and hash it must have.</summary>
public sealed record ModelVariant(string Name, string FileName, Uri Url, long Bytes, string Sha256, string Description);

/// <summary>
/// The GitHub <c>model-files-v1.0</c> release files (the export with inputs tokens/style/speed and a float32 speed). Sizes and hashes are pinned by
/// several independent projects; they are not publisher statements, hence the verification after every download.
/// </summary>
public static class KokoroReleaseFiles
{
    public const string ReleaseBaseUrl = "https://github.com/thewh1teagle/kokoro-onnx/releases/download/model-files-v1.0/";

    public static ModelVariant Int8 { get; } = new(
        "int8",
        "kokoro-v1.0.int8.onnx",
        new Uri(ReleaseBaseUrl + "kokoro-v1.0.int8.onnx"),
        92_361_271,
        "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb",
        "8-bit quantized, 88 MB; the default");

    public static ModelVariant Fp32 { get; } = new(
        "fp32",
        "kokoro-v1.0.onnx",
        new Uri(ReleaseBaseUrl + "kokoro-v1.0.onnx"),
        325_532_387,
        "7d5df8ecf7d4b1878015a32686053fd0eebe2bc377234608764cc0ef3636a6c5",
        "full precision, 310 MB");

    public static ModelVariant Fp16 { get; } = new(
        "fp16",
        "kokoro-v1.0.fp16.onnx",
        new Uri(ReleaseBaseUrl + "kokoro-v1.0.fp16.onnx"),
        177_464_787,
        "c1610a859f3bdea01107e73e50100685af38fff88f5cd8e5c56df109ec880204",
        "mixed uint8/int8 precision despite the name, 169 MB");

    public static IReadOnlyList<ModelVariant> All { get; } = [Int8, Fp32, Fp16];

    public static ModelVariant Default => Int8;

    public static ModelVariant? Find(string name) =>
        All.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase));

    public static ModelVariant? FindByFileName(string path) =>
        All.FirstOrDefault(v => string.Equals(v.FileName, Path.GetFileName(path), StringComparison.OrdinalIgnoreCase));
}
