using System.Text.Json;

namespace PatternTts.Testing;

/// <summary>
/// A real Prometheus (Debian's package, installed by scripts/setup.sh) on a free loopback port, scraping the given
/// targets every second and evaluating the given rule file, stopped by its process when the test ends.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly LocalProcess _process;
    private readonly string _directory;

    private PrometheusServer(LocalProcess process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public HttpClient Client { get; }

    public static async Task<PrometheusServer> StartAsync(IEnumerable<string> targets, string? ruleFile)
    {
        var directory = Directory.CreateTempSubdirectory("pattern-tts-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        var rules = ruleFile is null ? "" : $"rule_files:\n  - {ruleFile}\n";
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            {rules}scrape_configs:
              - job_name: pattern-tts
                metrics_path: /metrics
                static_configs:
                  - targets: [{string.Join(", ", targets.Select(t => $"'{t}'"))}]
            """);
        var port = LocalProcess.FreePort();
        var process = LocalProcess.Start("prometheus",
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}", $"--web.listen-address=127.0.0.1:{port}"],
            new Dictionary<string, string>());
        var server = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}"));
        await process.WaitUntilReadyAsync(() => LocalProcess.AnswersOkAsync(server.Client, new Uri(server.Client.BaseAddress!, "/-/ready")),
            "prometheus answering /-/ready");
        return server;
    }

    /// <summary>The names of every metric Prometheus holds.</summary>
    public async Task<IReadOnlySet<string>> MetricNamesAsync()
    {
        using var document = JsonDocument.Parse(await Client.GetStringAsync("/api/v1/label/__name__/values"));
        return document.RootElement.GetProperty("data").EnumerateArray().Select(n => n.GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Evaluates <paramref name="promQl"/> now: the status ("success" or "error") and the error, if any.</summary>
    public async Task<(string Status, string? Error)> QueryAsync(string promQl)
    {
        using var response = await Client.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(promQl)}");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        return (root.GetProperty("status").GetString()!, root.TryGetProperty("error", out var error) ? error.GetString() : null);
    }

    /// <summary>Each loaded rule's name and health ("ok", "err", "unknown") with its last error.</summary>
    public async Task<IReadOnlyList<(string Name, string Health, string? Error)>> RulesAsync()
    {
        using var document = JsonDocument.Parse(await Client.GetStringAsync("/api/v1/rules"));
        return [.. document.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray())
            .Select(r => (r.GetProperty("name").GetString()!, r.GetProperty("health").GetString()!,
                r.TryGetProperty("lastError", out var e) ? e.GetString() : null))];
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
