using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace PatternTts.Service.Tests.Audio;

/// <summary>What ffprobe/ffmpeg made of an encoded stream. <see cref="Samples"/> are interleaved float32 at <see cref="SampleRate"/>.</summary>
internal sealed record DecodedAudio(string CodecName, int SampleRate, int Channels, TimeSpan Duration, float[] Samples)
{
    public int FrameCount => Samples.Length / Math.Max(Channels, 1);
}

/// <summary>
/// Decodes any service output format with the system ffmpeg/ffprobe (child processes), for tests that must
/// check real audio rather than "non-empty bytes".
/// </summary>
internal static class FfmpegProbe
{
    /// <param name="formatHint">An OpenAI format name (mp3, opus, aac, flac, wav, pcm); pcm is taken as s16le 24 kHz mono.</param>
    /// <param name="outputSampleRate">Resample the decoded samples (e.g. 24000 for Opus, which always decodes at 48 kHz); null keeps the stream's rate.</param>
    /// <param name="rawSampleRate">The rate of a headerless format (pcm, ulaw, alaw).</param>
    public static async Task<DecodedAudio> DecodeAsync(
        byte[] data, string formatHint, int? outputSampleRate = null, CancellationToken cancellationToken = default, int rawSampleRate = 24_000)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pattern-tts-{Guid.NewGuid():N}.{formatHint}");
        await File.WriteAllBytesAsync(path, data, cancellationToken);
        try
        {
            var input = InputArguments(formatHint, rawSampleRate.ToString(CultureInfo.InvariantCulture));
            var probe = await RunAsync("ffprobe",
                ["-v", "error", .. input, "-i", path, "-select_streams", "a:0",
                 "-show_entries", "stream=codec_name,sample_rate,channels", "-of", "json"],
                cancellationToken);
            using var json = JsonDocument.Parse(probe.Stdout);
            var stream = json.RootElement.GetProperty("streams")[0];
            var codec = stream.GetProperty("codec_name").GetString() ?? "";
            var sampleRate = int.Parse(stream.GetProperty("sample_rate").GetString()!, CultureInfo.InvariantCulture);
            var channels = stream.GetProperty("channels").GetInt32();

            string[] resample = outputSampleRate is { } rate ? ["-ar", rate.ToString(CultureInfo.InvariantCulture)] : [];
            var decoded = await RunAsync("ffmpeg",
                ["-v", "error", "-nostdin", .. input, "-i", path, "-map", "0:a:0", .. resample, "-f", "f32le", "-c:a", "pcm_f32le", "pipe:1"],
                cancellationToken);
            var samples = new float[decoded.Stdout.Length / sizeof(float)];
            Buffer.BlockCopy(decoded.Stdout, 0, samples, 0, samples.Length * sizeof(float));

            var decodedRate = outputSampleRate ?? sampleRate;
            var duration = TimeSpan.FromSeconds((double)samples.Length / channels / decodedRate);
            return new DecodedAudio(codec, decodedRate, channels, duration, samples);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Dominant frequency estimate from zero crossings; fine for a clean test tone.</summary>
    public static double EstimateFrequency(ReadOnlySpan<float> samples, int sampleRate)
    {
        var crossings = 0;
        for (var i = 1; i < samples.Length; i++)
        {
            if (samples[i - 1] < 0 && samples[i] >= 0)
            {
                crossings++;
            }
        }

        return crossings * (double)sampleRate / samples.Length;
    }

    public static double Rms(ReadOnlySpan<float> samples)
    {
        var sum = 0.0;
        foreach (var s in samples)
        {
            sum += s * s;
        }

        return samples.IsEmpty ? 0 : Math.Sqrt(sum / samples.Length);
    }

    private static string[] InputArguments(string formatHint, string rawRate) => formatHint.ToLowerInvariant() switch
    {
        "pcm" => ["-f", "s16le", "-sample_rate", rawRate, "-ch_layout", "mono"],
        "ulaw" => ["-f", "mulaw", "-sample_rate", rawRate, "-ch_layout", "mono"],
        "alaw" => ["-f", "alaw", "-sample_rate", rawRate, "-ch_layout", "mono"],
        "opus" => ["-f", "ogg"],
        "aac" => ["-f", "aac"],
        "mp3" => ["-f", "mp3"],
        "flac" => ["-f", "flac"],
        "wav" => ["-f", "wav"],
        _ => [],
    };

    internal sealed record ProcessResult(int ExitCode, byte[] Stdout, string Stderr);

    internal static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{fileName} did not start.");
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout, cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await Task.WhenAll(copy, stderr, process.WaitForExitAsync(cancellationToken));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} exited with {process.ExitCode}: {await stderr}");
        }

        return new ProcessResult(process.ExitCode, stdout.ToArray(), await stderr);
    }
}
