using System.Net.Sockets;
using Spectre.Console;

namespace PatternTts.Service.ModelDownload;

/// <summary>A download that failed; the message tells the operator how to get the file by hand.</summary>
public sealed class ModelDownloadException(string message, Exception? innerException = null)
    : Exception(message, innerException);

/// <summary>
/// Streams a model into <c>&lt;file&gt;.partial</c>, checks size and sha256, then renames it into place, so a
/// half-written or wrong file never sits where the service looks for the model.
/// </summary>
/// <remarks>
/// Progress is Spectre.Console's: a live bar on a terminal; in logs and CI (redirected output) a line at a few
/// milestones, because carriage-return redraws turn into thousands of lines there.
/// </remarks>
public sealed class ModelDownloader(HttpClient httpClient, IAnsiConsole console)
{
    /// <summary>A console writing to <paramref name="output"/>, live only when <paramref name="interactive"/>.</summary>
    public static IAnsiConsole Console(TextWriter output, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!interactive)
        {
            // A log has no width: wrapping at the default 80 columns would split paths and messages.
            console.Profile.Width = 10_000;
        }

        return console;
    }

    /// <summary>How long a read may stall mid-body before the download is abandoned.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Downloads <paramref name="variant"/> from <paramref name="source"/> (its own URL when null) to <paramref name="destinationPath"/>.</summary>
    public async Task DownloadAsync(
        ModelVariant variant, string destinationPath, Uri? source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationPath);
        var url = source ?? variant.Url;
        destinationPath = Path.GetFullPath(destinationPath);

        if (File.Exists(destinationPath))
        {
            var existing = await ModelFileVerifier.VerifyAsync(destinationPath, variant, cancellationToken).ConfigureAwait(false);
            if (existing.IsValid)
            {
                console.WriteLine($"Already present and verified: {existing.Message}");
                return;
            }
            console.WriteLine($"Replacing the existing file: {existing.Message}");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(destinationPath)!);
        var partialPath = destinationPath + ".partial";
        console.WriteLine($"Downloading {variant.FileName} ({variant.Description}) from {url}");
        try
        {
            await FetchAsync(variant, url, destinationPath, partialPath, cancellationToken).ConfigureAwait(false);

            console.WriteLine("Verifying size and sha256…");
            var verification = await ModelFileVerifier.VerifyAsync(partialPath, variant, cancellationToken).ConfigureAwait(false);
            if (!verification.IsValid)
            {
                throw new ModelDownloadException(
                    $"The downloaded file failed verification: {verification.Message} It was deleted. " + ManualSteps(variant, url, destinationPath));
            }
            File.Move(partialPath, destinationPath, overwrite: true);
            console.WriteLine($"Saved {destinationPath} ({variant.Bytes:N0} bytes, sha256 verified).");
        }
        finally
        {
            File.Delete(partialPath);
        }
    }

    private async Task FetchAsync(
        ModelVariant variant, Uri url, string destinationPath, string partialPath, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await httpClient.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(variant, url, destinationPath, Reason(ex), ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unreachable(variant, url, destinationPath, "the connection timed out", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new ModelDownloadException(
                    $"{url.Host} answered {(int)response.StatusCode} {response.ReasonPhrase} for {url}. " + ManualSteps(variant, url, destinationPath));
            }

            var total = response.Content.Headers.ContentLength ?? variant.Bytes;
            await using var file = new FileStream(
                partialPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
            try
            {
                await console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
                    .StartAsync(async progress =>
                    {
                        var task = progress.AddTask(variant.FileName, maxValue: total);
                        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                        var buffer = new byte[1 << 16];
                        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                        while (true)
                        {
                            stall.CancelAfter(StallTimeout);
                            var read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                            if (read == 0)
                            {
                                break;
                            }

                            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                            task.Increment(read);
                        }

                        task.Value = task.MaxValue;
                    }).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ModelDownloadException(
                    $"The download from {url.Host} stalled for {StallTimeout.TotalSeconds:0} s. " + ManualSteps(variant, url, destinationPath), ex);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                throw new ModelDownloadException(
                    $"The download from {url.Host} was interrupted ({ex.Message}). " + ManualSteps(variant, url, destinationPath), ex);
            }
        }
    }

    private static ModelDownloadException Unreachable(
        ModelVariant variant, Uri url, string destinationPath, string reason, Exception inner) =>
        new($"Could not reach {url.Host} ({reason}); this machine may be offline. " + ManualSteps(variant, url, destinationPath), inner);

    private static string ManualSteps(ModelVariant variant, Uri url, string destinationPath) =>
        $"Download {variant.FileName} manually from {url} ({variant.Bytes:N0} bytes, sha256 {variant.Sha256}) " +
        $"and place it at {destinationPath}, or set TTS_MODEL_PATH to where you put it.";

    private static string Reason(HttpRequestException ex) => ex.InnerException switch
    {
        SocketException socket => socket.SocketErrorCode switch
        {
            SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "the name did not resolve",
            SocketError.ConnectionRefused => "the connection was refused",
            SocketError.NetworkUnreachable or SocketError.HostUnreachable => "the network is unreachable",
            _ => socket.Message,
        },
        { } inner => inner.Message,
        null => ex.Message,
    };
}
