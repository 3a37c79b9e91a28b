using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using PatternTts.Testing;

namespace PatternTts.Performance;

/// <summary>What one speech request cost the client: time to the first audio byte, the whole time, and what came back.</summary>
/// <param name="FirstModelCallMs">What the service says its first model call took (its Server-Timing header).</param>
public sealed record SpeechTiming(bool Ok, double FirstAudioMs, double TotalMs, long Bytes, string? Cache, double FirstModelCallMs = 0);

/// <summary>
/// The speech service as its own process (the Release build beside this program) on a free port, with the cost model
/// and the settings of one measurement, stopped by its process when disposed.
/// </summary>
public sealed partial class ServiceUnderTest : IAsyncDisposable
{
    private readonly LocalProcess _process;

    private ServiceUnderTest(LocalProcess process, int port)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(30) };
        Port = port;
    }

    public HttpClient Client { get; }

    public int Port { get; }

    /// <summary>Resident memory now and its peak so far (VmRSS, VmHWM), in MiB.</summary>
    public (double Now, double Peak) MemoryMiB
    {
        get
        {
            double now = 0, peak = 0;
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    now = Kilobytes(line) / 1024;
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = Kilobytes(line) / 1024;
                }
            }

            return (now, peak);
        }
    }

    /// <param name="settings">TTS_* settings of this run over the defaults below (cache off, so repeats cost the model).</param>
    public static async Task<ServiceUnderTest> StartAsync(string modelPath, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = LocalProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["TTS_MODEL_PATH"] = modelPath,
            ["TTS_VOICES_PATH"] = RepoRoot.Combine(".voices"),
            ["TTS_ENGINE"] = "kokoro",
            ["TTS_LOG_LEVEL"] = "WARNING",
            ["TTS_CACHE_MAX_MB"] = "0",
            ["TTS_MAX_QUEUE_LENGTH"] = "256",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var process = LocalProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "PatternTts.Service.dll")], environment);
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await process.WaitUntilReadyAsync(() => LocalProcess.AnswersOkAsync(probe, new Uri($"http://127.0.0.1:{port}/ready")), "the service ready", TimeSpan.FromMinutes(3));
        return new ServiceUnderTest(process, port);
    }

    /// <summary>The token counts of the model calls the service makes for <paramref name="text"/> (its /dev/phonemize plan).</summary>
    public async Task<IReadOnlyList<long[]>> PlanAsync(string text, bool streamed)
    {
        using var response = await Client.PostAsJsonAsync("/dev/phonemize", new { text, stream = streamed });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        return [.. json.RootElement.GetProperty("chunks").EnumerateArray()
            .Select(chunk => chunk.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt64()).ToArray())];
    }

    /// <summary>Speaks <paramref name="text"/> and reads the answer; with <paramref name="stopAtFirstAudio"/>, hangs up once audio arrives.</summary>
    public async Task<SpeechTiming> SpeakAsync(string text, string format = "mp3", bool stream = true, bool stopAtFirstAudio = false, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/audio/speech")
            {
                Content = JsonContent.Create(new { model = "tts-1", input = text, voice = "af_heart", response_format = format, stream }),
            };
            using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var cache = response.Headers.TryGetValues("X-Cache", out var values) ? values.Single() : null;
            if (!response.IsSuccessStatusCode)
            {
                return new SpeechTiming(false, 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, 0, cache);
            }

            var firstModelCall = ServerTimingModel(response);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[64 * 1024];
            double first = 0;
            long bytes = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (bytes == 0)
                {
                    first = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (stopAtFirstAudio)
                    {
                        return new SpeechTiming(true, first, first, read, cache, firstModelCall);
                    }
                }

                bytes += read;
            }

            return new SpeechTiming(true, first, Stopwatch.GetElapsedTime(started).TotalMilliseconds, bytes, cache, firstModelCall);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The benchmark hung up on purpose (load that was only there to be load).
            return new SpeechTiming(true, 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, 0, null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            return new SpeechTiming(false, 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, 0, null);
        }
    }

    /// <summary>Seconds the service has spent inside model calls so far (its <c>tts.model.time</c> counter on /metrics).</summary>
    public async Task<double> ModelSecondsAsync()
    {
        var metrics = await Client.GetStringAsync("/metrics");
        return ModelTime().Matches(metrics).Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The counter once it has moved past <paramref name="before"/>: a response's last bytes can reach the client a
    /// moment before the service books the request's model time.
    /// </summary>
    public async Task<double> ModelSecondsAfterAsync(double before)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = await ModelSecondsAsync();
            if (now > before || attempt == 50)
            {
                return now;
            }

            await Task.Delay(100);
        }
    }

    private static double ServerTimingModel(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Server-Timing", out var values)
        && ModelDuration().Match(string.Join(',', values)) is { Success: true } match
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : 0;

    [GeneratedRegex(@"^tts_model_time_seconds_total\{[^}]*\}\s+([0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex ModelTime();

    [GeneratedRegex(@"model;dur=([0-9.]+)")]
    private static partial Regex ModelDuration();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _process.DisposeAsync();
    }

    private static double Kilobytes(string line) =>
        double.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}
