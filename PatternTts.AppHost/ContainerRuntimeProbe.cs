using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace PatternTts.AppHost;

/// <summary>
/// Whether a container runtime answers, asked once per run: the legacy arm and the rollout store are containers
/// where one does, and local processes (the stand-in service, Debian's redis-server) where none does.
/// </summary>
internal sealed record ContainerRuntimeProbe(bool Answered, string Reason)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static ContainerRuntimeProbe Run(IDistributedApplicationBuilder builder)
    {
        var runtime = builder.Configuration["ASPIRE_CONTAINER_RUNTIME"]
            ?? builder.Configuration["DcpPublisher:ContainerRuntime"]
            ?? "docker";
        return Answers(runtime)
            ? new(true, $"container runtime '{runtime}' answered")
            : new(false, $"'{runtime} info' failed or took over {Timeout.TotalSeconds:0} s, so no container runtime");
    }

    private static bool Answers(string runtime)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            // Drain the pipes so a chatty runtime cannot block on a full buffer.
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false;
        }
    }
}
