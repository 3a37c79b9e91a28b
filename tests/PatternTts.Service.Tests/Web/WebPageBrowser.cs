using System.Diagnostics;
using System.ComponentModel;
using System.Text.Json;

namespace PatternTts.Service.Tests.Web;

/// <summary>Runs <c>tests/web/web-test.mjs</c> (playwright-core driving Debian's Chromium) and reads its JSON verdict.</summary>
internal static class WebPageBrowser
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static string PackageDirectory => RepoRoot.Combine("tests/web");

    /// <summary>Fails (never skips) when a prerequisite is missing: CI installs them, so a gap there is a broken CI.</summary>
    public static void RequireInstalled()
    {
        Assert.True(File.Exists(ChromiumPath), $"Chromium is not installed at {ChromiumPath}. Run scripts/setup.sh (it apt-get installs chromium).");
        Assert.True(
            Directory.Exists(Path.Combine(PackageDirectory, "node_modules", "playwright-core")),
            $"playwright-core is not installed in {PackageDirectory}. Run scripts/setup.sh (it runs npm ci in tests/web).");
    }

    public static async Task<BrowserRun> RunAsync(string baseUrl, params string[] options)
    {
        RequireInstalled();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = PackageDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("web-test.mjs");
        start.ArgumentList.Add(baseUrl);
        foreach (var option in options)
        {
            start.ArgumentList.Add(option);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"node is not on PATH ({e.Message}). CI installs Node.js 20+ for the browser test.");
            throw;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"web-test.mjs did not finish within {Timeout.TotalSeconds} s. stderr: {await stderr}");
            }

            var output = await stdout;
            var lastLine = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            JsonElement? verdict = null;
            if (lastLine is not null && lastLine.StartsWith('{'))
            {
                using var document = JsonDocument.Parse(lastLine);
                verdict = document.RootElement.Clone();
            }

            return new BrowserRun(process.ExitCode, verdict, output, await stderr);
        }
    }
}

internal sealed record BrowserRun(int ExitCode, JsonElement? Verdict, string Stdout, string Stderr)
{
    public JsonElement RequireVerdict()
    {
        Assert.True(Verdict.HasValue, $"web-test.mjs printed no JSON verdict (exit {ExitCode}). stdout: {Stdout} stderr: {Stderr}");
        return Verdict.Value;
    }

    public override string ToString() => $"exit {ExitCode}; verdict: {Stdout.Trim()}; stderr: {Stderr.Trim()}";
}
