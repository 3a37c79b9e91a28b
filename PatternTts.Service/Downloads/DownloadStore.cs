using System.Text.RegularExpressions;

namespace PatternTts.Service.Downloads;

/// <summary>
/// The legacy container's <c>return_download_link</c>: the whole audio of a request is also kept as a file under
/// <c>TTS_TEMP_DIR/downloads</c> and served at <c>GET /v1/download/{file}</c>. Bounded: at most <see cref="MaxFiles"/>
/// files, <see cref="MaxTotalBytes"/> in all, none older than <see cref="MaxAge"/>; the oldest go first.
/// </summary>
public sealed partial class DownloadStore(IOptions<TtsOptions> options, TimeProvider time, ILogger<DownloadStore> logger)
{
    /// <summary>The router sends <c>/v1/download/pattern-tts-*</c> to this service and other names to the legacy arm.</summary>
    public const string FilePrefix = "pattern-tts-";

    public const string PathPrefix = "/v1/download/";

    public const int MaxFiles = 64;

    public const long MaxTotalBytes = 512L * 1024 * 1024;

    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);

    private readonly Lock _prune = new();

    public string Directory => Path.Combine(options.Value.TempDir, "downloads");

    /// <summary>A new file for <paramref name="format"/>: written as <c>.partial</c>, published by <see cref="PendingDownload.CompleteAsync"/>.</summary>
    public PendingDownload Create(AudioFormat format)
    {
        System.IO.Directory.CreateDirectory(Directory);
        Prune();
        var name = $"{FilePrefix}{Guid.NewGuid():N}.{format.Name()}";
        return new PendingDownload(Path.Combine(Directory, name), name);
    }

    /// <summary>The file behind a download name, or null for a name this service never made or has dropped.</summary>
    public string? Find(string name)
    {
        if (!NameRegex().IsMatch(name))
        {
            return null;
        }

        var path = Path.Combine(Directory, name);
        if (!File.Exists(path))
        {
            return null;
        }

        if (time.GetUtcNow() - File.GetLastWriteTimeUtc(path) > MaxAge)
        {
            TryDelete(path);
            return null;
        }

        return path;
    }

    private void Prune()
    {
        lock (_prune)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var files = new DirectoryInfo(Directory).GetFiles($"{FilePrefix}*")
                .OrderByDescending(f => f.LastWriteTimeUtc)
                .ToList();
            long total = 0;
            for (var i = 0; i < files.Count; i++)
            {
                var file = files[i];
                total += file.Length;
                // Room for the one about to be written: keep at most MaxFiles - 1 of the others.
                if (i >= MaxFiles - 1 || total > MaxTotalBytes || now - file.LastWriteTimeUtc > MaxAge)
                {
                    TryDelete(file.FullName);
                }
            }
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException e)
        {
            LogDeleteFailed(logger, path, e.Message);
        }
    }

    [GeneratedRegex(@"^pattern-tts-[0-9a-f]{32}\.(?:mp3|opus|aac|flac|wav|pcm)$", RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();

    [LoggerMessage(EventId = 70, Level = LogLevel.Warning, Message = "Could not delete the download {Path}: {Reason}")]
    private static partial void LogDeleteFailed(ILogger logger, string path, string reason);
}

/// <summary>One download being written alongside a response; deleted unless completed.</summary>
public sealed class PendingDownload(string path, string name) : IAsyncDisposable
{
    private readonly string _partial = path + ".partial";
    private FileStream? _stream;
    private bool _completed;

    public string Name { get; } = name;

    /// <summary>The path a client GETs: <c>/v1/download/{name}</c>, sent as <c>X-Download-Path</c>.</summary>
    public string Link => DownloadStore.PathPrefix + Name;

    public Stream Open() => _stream ??= new FileStream(_partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);

    public async Task CompleteAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
            _stream = null;
        }

        File.Move(_partial, path);
        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
        }

        if (!_completed && File.Exists(_partial))
        {
            File.Delete(_partial);
        }
    }
}
