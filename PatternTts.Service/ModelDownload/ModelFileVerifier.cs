using System.Security.Cryptography;

namespace PatternTts.Service.ModelDownload;

/// <summary>The outcome of checking a model file; <see cref="Message"/> says what was wrong or what matched.</summary>
public sealed record ModelVerification(bool IsValid, string Message);

public static class ModelFileVerifier
{
    public static ModelVerification Verify(string path, long expectedBytes, string expectedSha256)
    {
        if (SizeProblem(path, expectedBytes) is { } problem)
        {
            return problem;
        }
        using var stream = File.OpenRead(path);
        return CompareHash(path, expectedBytes, expectedSha256, SHA256.HashData(stream));
    }

    public static async Task<ModelVerification> VerifyAsync(
        string path, long expectedBytes, string expectedSha256, CancellationToken cancellationToken)
    {
        if (SizeProblem(path, expectedBytes) is { } problem)
        {
            return problem;
        }
        await using var stream = new FileStream(
            path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        return CompareHash(path, expectedBytes, expectedSha256, hash);
    }

    public static ModelVerification Verify(string path, ModelVariant variant) =>
        Verify(path, variant.Bytes, variant.Sha256);

    public static Task<ModelVerification> VerifyAsync(string path, ModelVariant variant, CancellationToken cancellationToken) =>
        VerifyAsync(path, variant.Bytes, variant.Sha256, cancellationToken);

    private static ModelVerification? SizeProblem(string path, long expectedBytes)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return new ModelVerification(false, $"{path} does not exist.");
        }
        return file.Length == expectedBytes
            ? null
            : new ModelVerification(false,
                $"{path} is {file.Length:N0} bytes but should be {expectedBytes:N0} bytes (incomplete or a different file).");
    }

    private static ModelVerification CompareHash(string path, long bytes, string expectedSha256, byte[] hash)
    {
        var actual = Convert.ToHexStringLower(hash);
        return string.Equals(actual, expectedSha256.Trim(), StringComparison.OrdinalIgnoreCase)
            ? new ModelVerification(true, $"{path}: {bytes:N0} bytes, sha256 {actual} as expected.")
            : new ModelVerification(false,
                $"{path} has the right size but sha256 {actual}, expected {expectedSha256.Trim().ToLowerInvariant()} (corrupt or a different file).");
    }
}
