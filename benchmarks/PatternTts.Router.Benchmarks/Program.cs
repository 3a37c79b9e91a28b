using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace PatternTts.Router.Benchmarks;

// What the router adds: the same requests straight to an upstream and through the router, latency and throughput.
// Usage: dotnet run -c Release -- [--requests 3000] [--concurrency 8] [--seconds 20] [--payload 32768]
internal static class RouterBenchmark
{
    public static async Task<int> Main(string[] args)
    {
        var settings = BenchmarkSettings.Parse(args);
        var payload = new byte[settings.PayloadBytes];
        Random.Shared.NextBytes(payload);

        await using var upstream = await StartUpstreamAsync(payload);
        var upstreamAddress = upstream.Urls.Single();

        // The router's appsettings.json is copied next to this binary; WebApplicationFactory would otherwise look
        // for the solution folder relative to the (artifacts) output path.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_PATTERNTTS_ROUTER", AppContext.BaseDirectory);
        await using var router = new RouterFactory(upstreamAddress);
        router.UseKestrel(0);
        router.StartServer();
        using var routerClient = router.CreateClient();
        using var directClient = new HttpClient { BaseAddress = new Uri(upstreamAddress) };

        Console.WriteLine($"Pattern TTS router benchmark: {settings.Requests} requests, concurrency {settings.Concurrency}, " +
            $"at most {settings.Seconds} s per run, {settings.PayloadBytes} byte responses, {Environment.ProcessorCount} cores");

        await RunAsync(directClient, settings with { Requests = Math.Min(500, settings.Requests) });
        await RunAsync(routerClient, settings with { Requests = Math.Min(500, settings.Requests) });

        var direct = await RunAsync(directClient, settings);
        var proxied = await RunAsync(routerClient, settings);

        Print("direct", direct);
        Print("router", proxied);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio (router / direct): p50 {proxied.P50 / direct.P50:F2}x, p95 {proxied.P95 / direct.P95:F2}x, " +
            $"throughput {proxied.Throughput / direct.Throughput:F2}x; added p50 {proxied.P50 - direct.P50:F3} ms"));
        return 0;

    }

    private static void Print(string name, RunResult result) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-7} n={result.Count,5} errors={result.Errors} p50={result.P50:F3} ms p95={result.P95:F3} ms throughput={result.Throughput:F0} req/s"));

    private static async Task<RunResult> RunAsync(HttpClient client, BenchmarkSettings settings)
    {
        var latencies = new List<double>[settings.Concurrency];
        var next = -1;
        var errors = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(settings.Seconds));
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, settings.Concurrency).Select(async worker =>
        {
            var mine = latencies[worker] = [];
            while (!deadline.IsCancellationRequested && Interlocked.Increment(ref next) < settings.Requests)
            {
                var started = Stopwatch.GetTimestamp();
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/audio/speech")
                {
                    Content = JsonContent.Create(new { model = "tts-1", input = "The quick brown fox.", voice = "af_heart" }),
                };
                request.Headers.Add("X-Pattern-User", $"bench-{worker}");
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                await response.Content.CopyToAsync(Stream.Null);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref errors);
                }

                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }).ToArray();
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;

        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new RunResult(all.Length, errors, Percentile(all, 0.50), Percentile(all, 0.95), all.Length / elapsed.TotalSeconds);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static async Task<WebApplication> StartUpstreamAsync(byte[] payload)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/v1/audio/speech", async (HttpContext context) =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            context.Response.ContentType = "audio/mpeg";
            await context.Response.Body.WriteAsync(payload, context.RequestAborted);
        });
        await app.StartAsync();
        return app;
    }
}

internal sealed record BenchmarkSettings(int Requests, int Concurrency, int Seconds, int PayloadBytes)
{
    public static BenchmarkSettings Parse(string[] args)
    {
        int Read(string name, int fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
        }

        return new BenchmarkSettings(Read("--requests", 3000), Math.Max(1, Read("--concurrency", 8)), Read("--seconds", 20), Read("--payload", 32 * 1024));
    }
}

internal sealed record RunResult(int Count, int Errors, double P50, double P95, double Throughput);

internal sealed class RouterFactory(string upstream) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["ReverseProxy:Clusters:legacy:Destinations:d1:Address"] = upstream,
            ["ReverseProxy:Clusters:new:Destinations:d1:Address"] = upstream,
            ["Rollout:Percentage"] = "0",
            ["Rollout:Rollback:Enabled"] = "false",
        }));
    }
}
