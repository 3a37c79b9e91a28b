namespace PatternTts.Service.Tests.Audio;

public sealed class ResamplerTests
{
    private const int Rate = 24_000;

    public static TheoryData<int> Rates => [8_000, 16_000, 22_050, 44_100, 48_000];

    [Fact]
    public void ToneAboveTheNewNyquistIsFilteredOutNotFoldedDown()
    {
        // 6 kHz cannot exist at 8 kHz; point sampling (what linear interpolation does when it drops samples) folds it to 2 kHz at full level.
        var tone = Sine(6_000, Rate, Rate, 0.5f);
        var folded = tone.Where((_, i) => i % 3 == 0).ToArray();

        var output = ResampleInPieces(tone, Rate, 8_000, 4_000);

        var middle = output.AsSpan(800, output.Length - 1_600);
        Assert.True(FfmpegProbe.Rms(folded) > 0.3, "the check itself: naive decimation keeps the alias");
        Assert.True(FfmpegProbe.Rms(middle) < 0.005, $"alias left at RMS {FfmpegProbe.Rms(middle):F4} (input 0.354): less than -37 dB is expected");
    }

    [Theory]
    [MemberData(nameof(Rates))]
    public void ToneInTheBandKeepsItsPitchLevelAndLength(int toRate)
    {
        var tone = Sine(1_000, Rate, Rate, 0.5f);

        var output = ResampleInPieces(tone, Rate, toRate, 1_237);

        Assert.Equal((long)tone.Length * toRate / Rate, output.Length);
        var middle = output.AsSpan(toRate / 10, output.Length - toRate / 5);
        Assert.InRange(FfmpegProbe.EstimateFrequency(middle, toRate), 995, 1_005);
        Assert.InRange(FfmpegProbe.Rms(middle), 0.5 / Math.Sqrt(2) * 0.98, 0.5 / Math.Sqrt(2) * 1.02);
    }

    [Theory]
    [MemberData(nameof(Rates))]
    public void SoundStartsAtTheSameTimeAfterResampling(int toRate)
    {
        // 0.1 s of silence, then a tone: the filter's delay must not shift it.
        var signal = new float[Rate / 2];
        Sine(1_000, Rate, signal.Length - Rate / 10, 0.5f).CopyTo(signal, Rate / 10);

        var output = ResampleInPieces(signal, Rate, toRate, 960);

        var onset = Array.FindIndex(output, s => Math.Abs(s) > 0.1f);
        Assert.InRange(onset / (double)toRate, 0.099, 0.102);
    }

    [Fact]
    public void PiecesGiveTheSameSamplesAsTheWholeSignal()
    {
        var tone = Sine(440, Rate, Rate / 2, 0.3f);

        var whole = ResampleInPieces(tone, Rate, 8_000, tone.Length);
        var pieces = ResampleInPieces(tone, Rate, 8_000, 77);

        Assert.Equal(whole.Length, pieces.Length);
        for (var i = 0; i < whole.Length; i++)
        {
            Assert.Equal(whole[i], pieces[i], 1e-4f);
        }
    }

    [Fact]
    public void SixteenBitSignalConvertsToFloatsAtTheNewRate()
    {
        var samples = Sine(500, 22_050, 22_050, 0.5f).Select(s => (short)(s * 32767)).ToArray();

        var output = Resampler.Convert(samples, 22_050, Rate);

        Assert.Equal(Rate, output.Length);
        Assert.InRange(FfmpegProbe.EstimateFrequency(output.AsSpan(2_400, Rate - 4_800), Rate), 497, 503);
        Assert.InRange(output.Max(), 0.48f, 0.52f);
    }

    internal static float[] Sine(double frequency, int rate, int length, float amplitude) =>
        [.. Enumerable.Range(0, length).Select(i => amplitude * (float)Math.Sin(2 * Math.PI * frequency * i / rate))];

    private static float[] ResampleInPieces(float[] input, int from, int to, int piece)
    {
        using var resampler = new Resampler(from, to);
        var output = new List<float>();
        for (var offset = 0; offset < input.Length; offset += piece)
        {
            output.AddRange(resampler.Process(input.AsSpan(offset, Math.Min(piece, input.Length - offset))).ToArray());
        }

        output.AddRange(resampler.Flush().ToArray());
        return [.. output];
    }
}
