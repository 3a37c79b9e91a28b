using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace PatternTts.Service.Tests.Audio;

/// <summary>Prints encoding speed per format; it asserts nothing about time so it cannot flake on a busy machine.</summary>
public sealed class AudioEncoderThroughputBenchmarks(ITestOutputHelper output)
{
    [Fact]
    public async Task PrintsRealtimeFactorPerFormat()
    {
        var factory = new AudioEncoderFactory(NullLogger<AudioEncoderFactory>.Instance);
        var audio = TestTone.Sine(seconds: 10.0);
        foreach (var format in Enum.GetValues<AudioFormat>())
        {
            // Warm-up run (JIT, native library load), then the best of three so a busy shared machine skews less.
            await EncodeAsync(factory, format, audio);
            var best = TimeSpan.MaxValue;
            long bytes = 0;
            for (var run = 0; run < 3; run++)
            {
                var stopwatch = Stopwatch.StartNew();
                bytes = await EncodeAsync(factory, format, audio);
                best = stopwatch.Elapsed < best ? stopwatch.Elapsed : best;
            }

            var line = $"{format,-5} 10 s audio in {best.TotalMilliseconds,8:F1} ms = {10.0 / best.TotalSeconds,7:F0}x realtime, {bytes,8} bytes";
            output.WriteLine(line);
            Console.WriteLine(line);
            Assert.True(bytes > 0);
        }
    }

    private static async Task<long> EncodeAsync(AudioEncoderFactory factory, AudioFormat format, float[] audio)
    {
        var stream = new NonSeekableStream();
        await using var encoder = factory.Create(format, stream);
        // 0.5 s chunks, roughly what the synthesizer yields per sentence.
        for (var offset = 0; offset < audio.Length; offset += 12_000)
        {
            await encoder.WriteAsync(audio.AsMemory(offset, Math.Min(12_000, audio.Length - offset)), CancellationToken.None);
        }

        await encoder.CompleteAsync(CancellationToken.None);
        return stream.BytesWritten;
    }
}
