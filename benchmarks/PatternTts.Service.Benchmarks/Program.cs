using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;

// Load benchmark for a running speech service (or the router in front of it). Prints the product's targets next to
// what it measured: time to first audio and whole-request latency for a 100-word text, throughput, success rate,
// and the target process's working set before, during (peak) and after the load.
// Usage: dotnet run -c Release --project benchmarks/PatternTts.Service.Benchmarks -- [url] [requests] [concurrency] [format]
var url = args.ElementAtOrDefault(0) ?? "http://127.0.0.1:8205";
var requests = int.Parse(args.ElementAtOrDefault(1) ?? "40", CultureInfo.InvariantCulture);
var concurrency = int.Parse(args.ElementAtOrDefault(2) ?? "4", CultureInfo.InvariantCulture);
var format = args.ElementAtOrDefault(3) ?? "mp3";

const string HundredWords =
    "Pattern TTS turns written text into natural speech. It streams audio as soon as the first short clause is ready, " +
    "so a listener hears the start of an answer while the rest is still being made. Long passages are cut at " +
    "sentences, then clauses, then words, and nothing is ever dropped. Numbers like 1,250 and times like 10:35 pm " +
    "are read the way people say them. Every request is bounded, every error is clear, and the service keeps " +
    "serving when a client goes away halfway through. This paragraph has about one hundred words, which is the size " +
    "the targets speak of.";

using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
var memoryBefore = await WorkingSetAsync(client);
var memoryPeak = memoryBefore;
using var sampling = new CancellationTokenSource();
var sampler = Task.Run(async () =>
{
    while (!sampling.IsCancellationRequested)
    {
        memoryPeak = Math.Max(memoryPeak, await WorkingSetAsync(client));
        await Task.Delay(250);
    }
});
var firstAudio = new List<double>();
var totals = new List<double>();
var failures = 0;
var gate = new SemaphoreSlim(concurrency);
var wall = Stopwatch.StartNew();
var tasks = Enumerable.Range(0, requests).Select(async i =>
{
    await gate.WaitAsync();
    try
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/audio/speech")
        {
            Content = JsonContent.Create(new { model = "tts-1", input = HundredWords, voice = "af_heart", response_format = format }),
        };
        request.Headers.Add("X-Pattern-User", $"bench-{i}");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref failures);
            return;
        }

        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[16 * 1024];
        var first = true;
        long bytes = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            if (first)
            {
                lock (firstAudio)
                {
                    firstAudio.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }

                first = false;
            }

            bytes += read;
        }

        lock (totals)
        {
            totals.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
    catch (HttpRequestException)
    {
        Interlocked.Increment(ref failures);
    }
    finally
    {
        gate.Release();
    }
});
await Task.WhenAll(tasks);
wall.Stop();
sampling.Cancel();
await sampler;
var memoryAfter = await WorkingSetAsync(client);

// The service's own working set, read from its Prometheus endpoint (0 when the target does not export it).
static async Task<double> WorkingSetAsync(HttpClient client)
{
    try
    {
        var metrics = await client.GetStringAsync("/metrics");
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("dotnet_process_memory_working_set_bytes", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture) / (1024 * 1024);
    }
    catch (HttpRequestException)
    {
        return 0;
    }
}

static double Percentile(List<double> values, double p)
{
    if (values.Count == 0)
    {
        return double.NaN;
    }

    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

Console.WriteLine($"target {url}, {requests} requests of ~100 words ({format}), {concurrency} at a time");
Console.WriteLine($"time to first audio  p50 {Percentile(firstAudio, 0.5),8:F0} ms   p95 {Percentile(firstAudio, 0.95),8:F0} ms   (target: p95 < 500 ms)");
Console.WriteLine($"whole response       p50 {Percentile(totals, 0.5),8:F0} ms   p95 {Percentile(totals, 0.95),8:F0} ms");
Console.WriteLine($"throughput           {requests / wall.Elapsed.TotalSeconds,8:F2} requests/s   (target: 50+/s across replicas)");
Console.WriteLine($"success rate         {100.0 * (requests - failures) / requests,8:F2} %          (target: > 99 %)");
Console.WriteLine($"working set          before {memoryBefore,6:F0} MiB   peak {memoryPeak,6:F0} MiB   after {memoryAfter,6:F0} MiB");
