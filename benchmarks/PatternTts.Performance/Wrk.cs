using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PatternTts.Performance;

/// <summary>Drives one POST with wrk (Debian's package; benchmarks/run.sh installs it) and reads its summary.</summary>
public static partial class Wrk
{
    public static async Task<(double RequestsPerSecond, double P99Milliseconds, int ErrorAnswers)> PostAsync(int port, string phrase, TimeSpan duration, int connections = 8)
    {
        var script = Path.Combine(Path.GetTempPath(), $"pattern-tts-wrk-{Environment.ProcessId}.lua");
        var body = JsonSerializer.Serialize(new { model = "tts-1", input = phrase, voice = "af_heart", response_format = "mp3", stream = false });
        await File.WriteAllTextAsync(script,
            $"wrk.method = \"POST\"\nwrk.body = [[{body}]]\nwrk.headers[\"Content-Type\"] = \"application/json\"\n");
        try
        {
            var start = new ProcessStartInfo("wrk",
                [$"-t{Math.Min(2, connections)}", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", "-s", script, $"http://127.0.0.1:{port}/v1/audio/speech"])
            {
                RedirectStandardOutput = true,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start (is it installed? benchmarks/run.sh installs it)");
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            var rate = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
            var p99 = Milliseconds(P99().Match(output));
            var errors = NonSuccess().Match(output) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            return (rate, p99, errors);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static double Milliseconds(Match match)
    {
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "s" => value * 1000,
            _ => value,
        };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"^\s+99%\s+([\d.]+)(us|ms|s)", RegexOptions.Multiline)]
    private static partial Regex P99();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();
}
