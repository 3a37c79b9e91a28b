using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PatternTts.Testing;

/// <summary>
/// A server the test starts itself, as an operator would: a real process on loopback ports the test chose, its
/// output kept for the failure message, and killed (with its children) when the test ends.
/// </summary>
public sealed class LocalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private LocalProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The operating system's process id (to read its memory from /proc, say).</summary>
    public int Id => _process.Id;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/> and extra environment variables.</summary>
    public static LocalProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new LocalProcess(Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start."));
    }

    /// <summary>Starts a .NET app built beside the tests (<c>PatternTts.Service.dll</c>) and waits until <paramref name="alive"/> answers 200.</summary>
    public static async Task<LocalProcess> StartDotnetAppAsync(string assemblyFile, IReadOnlyDictionary<string, string> environment, Uri alive)
    {
        var app = Start("dotnet", [Path.Combine(AppContext.BaseDirectory, assemblyFile)], environment);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await app.WaitUntilReadyAsync(() => AnswersOkAsync(client, alive), $"{assemblyFile} answering {alive}");
        return app;
    }

    /// <summary>
    /// Polls <paramref name="ready"/> until it holds. A process that exits first, or is not ready within
    /// <paramref name="timeout"/> (60 s), is stopped and named with its output.
    /// </summary>
    public async Task WaitUntilReadyAsync(Func<Task<bool>> ready, string what, TimeSpan? timeout = null)
    {
        try
        {
            await Eventually.WaitAsync(
                async () => _process.HasExited
                    ? throw new InvalidOperationException($"{_process.StartInfo.FileName} exited before {what}:\n{Output}")
                    : await ready(),
                up => up, what, timeout ?? TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Whether <paramref name="url"/> answers 2xx; false while nothing listens or it times out.</summary>
    public static async Task<bool> AnswersOkAsync(HttpClient client, Uri url)
    {
        try
        {
            using var response = await client.GetAsync(url);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits for the process to end on its own; kills it and throws after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_process.StartInfo.FileName} did not exit within {timeout}:\n{Output}");
        }

        // The output handlers may still be draining after the exit.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
