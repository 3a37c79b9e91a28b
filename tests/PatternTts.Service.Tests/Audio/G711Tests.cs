using System.Globalization;

namespace PatternTts.Service.Tests.Audio;

public sealed class G711Tests
{
    public static TheoryData<string> Laws => ["mulaw", "alaw"];

    [Theory]
    [MemberData(nameof(Laws))]
    public async Task FfmpegDecodesEveryCodeToTheLevelWeDecodeItTo(string law)
    {
        var codes = Enumerable.Range(0, 256).Select(c => (byte)c).ToArray();

        var decoded = await FfmpegProbe.DecodeAsync(codes, law == "mulaw" ? "ulaw" : "alaw", rawSampleRate: 8_000);

        for (var code = 0; code < 256; code++)
        {
            var ours = Decode(law, (byte)code);
            Assert.Equal(ours, (short)Math.Round(decoded.Samples[code] * 32768));
        }
    }

    [Theory]
    [MemberData(nameof(Laws))]
    public async Task EverySixteenBitSampleGoesToALevelBesideItAndAlmostAlwaysFfmpegsCode(string law)
    {
        var linear = Enumerable.Range(short.MinValue, 65_536).Select(v => (short)v).ToArray();
        var levels = Enumerable.Range(0, 256).Select(c => (int)Decode(law, (byte)c)).Distinct().Order().ToArray();
        var reference = await FfmpegEncodeAsync(linear, law);

        var agree = 0;
        foreach (var (value, i) in linear.Select((v, i) => (v, i)))
        {
            var code = law == "mulaw" ? G711.ToUlaw(value) : G711.ToAlaw(value);
            var error = Math.Abs(Decode(law, code) - value);
            var below = Array.FindLastIndex(levels, level => level <= value);
            var above = Array.FindIndex(levels, level => level >= value);
            // Always one of the two levels around the value (its segment's decision level picks which).
            Assert.True(
                (below >= 0 && Decode(law, code) == levels[below]) || (above >= 0 && Decode(law, code) == levels[above]),
                $"{value.ToString(CultureInfo.InvariantCulture)} coded to {Decode(law, code)}, {error} away");
            agree += code == reference[i] ? 1 : 0;
        }

        // ffmpeg draws its decision levels at the exact midpoints; the reference algorithm differs on a few values at each.
        Assert.True(agree > linear.Length * 0.98, $"only {agree} of {linear.Length} codes are ffmpeg's");
    }

    private static short Decode(string law, byte code) => law == "mulaw" ? G711.FromUlaw(code) : G711.FromAlaw(code);

    private static async Task<byte[]> FfmpegEncodeAsync(short[] linear, string law)
    {
        var pcm = new byte[linear.Length * 2];
        Buffer.BlockCopy(linear, 0, pcm, 0, pcm.Length);
        var path = Path.Combine(Path.GetTempPath(), $"g711-{Guid.NewGuid():N}.s16");
        await File.WriteAllBytesAsync(path, pcm);
        try
        {
            var result = await FfmpegProbe.RunAsync("ffmpeg",
                ["-v", "error", "-nostdin", "-f", "s16le", "-ar", "8000", "-ac", "1", "-i", path, "-f", law, "pipe:1"], CancellationToken.None);
            return result.Stdout;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
