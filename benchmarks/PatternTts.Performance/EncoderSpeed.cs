using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using PatternTts.Service.Audio;

namespace PatternTts.Performance;

/// <summary>
/// Encoding speed per format: seconds of audio encoded per wall second, for a tone fed in 0.5 s chunks as the
/// synthesizer yields them, to a non-seekable stream as a streamed response is. Best of three after a warm-up (JIT,
/// native library load), so a busy machine skews the figures less.
/// </summary>
public static class EncoderSpeed
{
    public static async Task<IReadOnlyList<(string Format, double RealTime)>> MeasureAsync(double seconds)
    {
        var audio = Tone(seconds);
        var factory = new AudioEncoderFactory(NullLogger<AudioEncoderFactory>.Instance);
        var results = new List<(string, double)>();
        foreach (var format in Enum.GetValues<AudioFormat>())
        {
            await EncodeAsync(factory, format, audio);
            var fastest = TimeSpan.MaxValue;
            for (var run = 0; run < 3; run++)
            {
                var stopwatch = Stopwatch.StartNew();
                await EncodeAsync(factory, format, audio);
                fastest = stopwatch.Elapsed < fastest ? stopwatch.Elapsed : fastest;
            }

            results.Add((format.Name(), seconds / fastest.TotalSeconds));
        }

        return results;
    }

    private static async Task EncodeAsync(AudioEncoderFactory factory, AudioFormat format, float[] audio)
    {
        await using var encoder = factory.Create(format, new DiscardingStream());
        for (var offset = 0; offset < audio.Length; offset += 12_000)
        {
            await encoder.WriteAsync(audio.AsMemory(offset, Math.Min(12_000, audio.Length - offset)), CancellationToken.None);
        }

        await encoder.CompleteAsync(CancellationToken.None);
    }

    /// <summary>A 220 Hz tone with a slow tremolo: tonal enough for every codec to do real work.</summary>
    private static float[] Tone(double seconds)
    {
        var samples = new float[(int)(seconds * AudioConstants.SampleRate)];
        for (var i = 0; i < samples.Length; i++)
        {
            var t = (double)i / AudioConstants.SampleRate;
            samples[i] = (float)(0.4 * Math.Sin(2 * Math.PI * 220 * t) * (0.6 + 0.4 * Math.Sin(2 * Math.PI * 3 * t)));
        }

        return samples;
    }

    /// <summary>Takes what the encoder writes, like a live response body that cannot seek.</summary>
    private sealed class DiscardingStream : WriteOnlyStream
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
        }
    }
}
