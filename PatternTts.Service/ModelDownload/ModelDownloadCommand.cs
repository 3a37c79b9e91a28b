namespace PatternTts.Service.ModelDownload;

/// <summary>
/// <c>download-model [--variant int8|fp32|fp16] [--dest DIR] [--url URL] [--verify-only FILE]</c>: fetches the
/// Kokoro model from its public release and verifies it, or only verifies a file obtained some other way.
/// </summary>
public static class ModelDownloadCommand
{
    public const string Name = "download-model";

    private const int Success = 0;
    private const int Failure = 1;
    private const int Usage = 2;

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        // A one-shot CLI path outside the host, so there is no IHttpClientFactory; the short connect timeout makes
        // an offline machine fail in seconds instead of the default 100.
        using var handler = new SocketsHttpHandler { ConnectTimeout = ConnectTimeout };
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("PatternTts-download-model/1.0");
        return await RunAsync(args, client, Console.Out, Console.Error, !Console.IsOutputRedirected,
            Directory.GetCurrentDirectory(), cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<int> RunAsync(
        string[] args,
        HttpClient client,
        TextWriter stdout,
        TextWriter stderr,
        bool interactive,
        string currentDirectory,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!TryParse(args, out var options, out var error))
        {
            await stderr.WriteLineAsync(error).ConfigureAwait(false);
            await stderr.WriteLineAsync(HelpText).ConfigureAwait(false);
            return Usage;
        }
        if (options.Help)
        {
            await stdout.WriteLineAsync(HelpText).ConfigureAwait(false);
            return Success;
        }

        if (options.VerifyOnly is { } file)
        {
            var path = Path.GetFullPath(file, currentDirectory);
            var variant = options.Variant ?? KokoroReleaseFiles.FindByFileName(path);
            if (variant is null)
            {
                await stderr.WriteLineAsync(
                    $"Cannot tell which model {Path.GetFileName(path)} should be; pass --variant int8|fp32|fp16.").ConfigureAwait(false);
                return Usage;
            }
            var verification = await ModelFileVerifier.VerifyAsync(path, variant, cancellationToken).ConfigureAwait(false);
            await (verification.IsValid ? stdout : stderr)
                .WriteLineAsync((verification.IsValid ? "OK: " : "FAILED: ") + verification.Message).ConfigureAwait(false);
            return verification.IsValid ? Success : Failure;
        }

        var chosen = options.Variant ?? KokoroReleaseFiles.Default;
        var destination = DestinationPath(chosen, options.Destination, currentDirectory);
        try
        {
            await new ModelDownloader(client, ModelDownloader.Console(stdout, interactive))
                .DownloadAsync(chosen, destination, options.Url, cancellationToken).ConfigureAwait(false);
            return Success;
        }
        catch (ModelDownloadException ex)
        {
            await stderr.WriteLineAsync($"download-model: {ex.Message}").ConfigureAwait(false);
            return Failure;
        }
    }

    /// <summary>
    /// --dest wins; then TTS_MODEL_PATH (a file or a folder); then <c>models/</c> at the repository root, which is
    /// where the service's default <c>models</c> setting finds it from any folder below.
    /// </summary>
    internal static string DestinationPath(ModelVariant variant, string? destination, string currentDirectory)
    {
        if (!string.IsNullOrWhiteSpace(destination))
        {
            return Path.Combine(Path.GetFullPath(destination, currentDirectory), variant.FileName);
        }

        var configured = Environment.GetEnvironmentVariable("TTS_MODEL_PATH");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var full = Path.GetFullPath(configured, currentDirectory);
            return full.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? full : Path.Combine(full, variant.FileName);
        }

        for (var dir = new DirectoryInfo(currentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PatternTts.sln")))
            {
                return Path.Combine(dir.FullName, "models", variant.FileName);
            }
        }
        return Path.Combine(currentDirectory, "models", variant.FileName);
    }

    private sealed record CommandOptions(
        ModelVariant? Variant, string? Destination, Uri? Url, string? VerifyOnly, bool Help);

    private static bool TryParse(string[] args, out CommandOptions options, out string error)
    {
        options = new CommandOptions(null, null, null, null, false);
        error = "";
        var start = args.Length > 0 && args[0] == Name ? 1 : 0;
        for (var i = start; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                options = options with { Help = true };
                continue;
            }
            if (arg is not ("--variant" or "--dest" or "--url" or "--verify-only"))
            {
                error = $"Unknown argument '{arg}'.";
                return false;
            }
            if (i + 1 >= args.Length)
            {
                error = $"{arg} needs a value.";
                return false;
            }
            var value = args[++i];
            switch (arg)
            {
                case "--variant":
                    var variant = KokoroReleaseFiles.Find(value);
                    if (variant is null)
                    {
                        error = $"Unknown variant '{value}'; choose {string.Join(", ", KokoroReleaseFiles.All.Select(v => v.Name))}.";
                        return false;
                    }
                    options = options with { Variant = variant };
                    break;
                case "--dest":
                    options = options with { Destination = value };
                    break;
                case "--url":
                    if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                    {
                        error = $"--url must be an absolute http(s) URL; got '{value}'.";
                        return false;
                    }
                    options = options with { Url = url };
                    break;
                case "--verify-only":
                    options = options with { VerifyOnly = value };
                    break;
            }
        }
        return true;
    }

    private static string HelpText =>
        $"""
        Usage: {Name} [--variant int8|fp32|fp16] [--dest DIR] [--url URL] [--verify-only FILE]

          --variant      which Kokoro v1.0 export to fetch (default {KokoroReleaseFiles.Default.Name}):
        {string.Join(Environment.NewLine, KokoroReleaseFiles.All.Select(v => $"                   {v.Name,-5} {v.FileName} - {v.Description}"))}
          --dest         folder to save into (default: TTS_MODEL_PATH, else models/ at the repository root)
          --url          fetch from a mirror instead of {KokoroReleaseFiles.ReleaseBaseUrl}; size and sha256 are still checked
          --verify-only  check an existing file's size and sha256 and download nothing
        """;
}
