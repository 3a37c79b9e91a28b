using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using PatternTts.Service.Audio;
using Spectre.Console;

// Encoding speed per format: seconds of audio encoded per wall second, for a 10 s tone fed in 0.5 s chunks as
// the synthesizer yields them, to a non-seekable stream as a streamed response is. Best of three runs after a
// warm-up (JIT, native library load), so a busy machine skews the figures less.
// Usage: dotnet run -c Release --project benchmarks/PatternTts.Audio.Benchmarks -- [seconds]
var seconds = double.Parse(args.ElementAtOrDefault(0) ?? "10", CultureInfo.InvariantCulture);
var audio = Tone(seconds);
var factory = new AudioEncoderFactory(NullLogger<AudioEncoderFactory>.Instance);

var table = new Table().AddColumns("format", "best of 3", "× real time", "bytes");
foreach (var format in Enum.GetValues<AudioFormat>())
{
    await EncodeAsync(factory, format, audio);
    var best = TimeSpan.MaxValue;
    long bytes = 0;
    for (var run = 0; run < 3; run++)
    {
        var stopwatch = Stopwatch.StartNew();
        bytes = await EncodeAsync(factory, format, audio);
        best = stopwatch.Elapsed < best ? stopwatch.Elapsed : best;
    }

    table.AddRow(format.Name(), $"{best.TotalMilliseconds:F1} ms", $"{seconds / best.TotalSeconds:F0}", $"{bytes:N0}");
}

AnsiConsole.MarkupLine($"[bold]{seconds:F0} s of 24 kHz mono audio[/]");
AnsiConsole.Write(table);

static async Task<long> EncodeAsync(AudioEncoderFactory factory, AudioFormat format, float[] audio)
{
    var sink = new CountingStream();
    await using var encoder = factory.Create(format, sink);
    for (var offset = 0; offset < audio.Length; offset += 12_000)
    {
        await encoder.WriteAsync(audio.AsMemory(offset, Math.Min(12_000, audio.Length - offset)), CancellationToken.None);
    }

    await encoder.CompleteAsync(CancellationToken.None);
    return sink.BytesWritten;
}

// A 220 Hz tone with a slow tremolo: tonal enough for every codec to do real work.
static float[] Tone(double seconds)
{
    var samples = new float[(int)(seconds * AudioConstants.SampleRate)];
    for (var i = 0; i < samples.Length; i++)
    {
        var t = (double)i / AudioConstants.SampleRate;
        samples[i] = (float)(0.4 * Math.Sin(2 * Math.PI * 220 * t) * (0.6 + 0.4 * Math.Sin(2 * Math.PI * 3 * t)));
    }

    return samples;
}

/// <summary>Counts what the encoder writes, like a live response body that cannot seek.</summary>
internal sealed class CountingStream : WriteOnlyStream
{
    public long BytesWritten { get; private set; }

    public override void Write(byte[] buffer, int offset, int count) => BytesWritten += count;

    public override void Write(ReadOnlySpan<byte> buffer) => BytesWritten += buffer.Length;
}
