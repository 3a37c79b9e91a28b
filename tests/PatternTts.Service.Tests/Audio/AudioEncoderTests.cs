using System.Diagnostics;
using System.Buffers.Binary;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace PatternTts.Service.Tests.Audio;

public sealed class AudioEncoderTests(ITestOutputHelper output)
{
    private static readonly AudioEncoderFactory Factory = new(NullLogger<AudioEncoderFactory>.Instance);

    public static TheoryData<AudioFormat, bool> FormatsAndSeekability()
    {
        var data = new TheoryData<AudioFormat, bool>();
        foreach (var format in Enum.GetValues<AudioFormat>())
        {
            data.Add(format, true);
            data.Add(format, false);
        }

        return data;
    }

    public static TheoryData<AudioFormat> Formats() => new(Enum.GetValues<AudioFormat>());

    [Theory]
    [MemberData(nameof(FormatsAndSeekability))]
    public async Task EncodedSineDecodesAsSameToneAtSameRateAndDuration(AudioFormat format, bool seekable)
    {
        // Arrange
        var input = TestTone.Sine(seconds: 2.0);

        // Act
        var encoded = await EncodeAsync(format, input, seekable);
        var decoded = await FfmpegProbe.DecodeAsync(encoded, format.Name());

        var middle = decoded.Samples.AsSpan(decoded.Samples.Length / 10, decoded.Samples.Length * 8 / 10);
        var frequency = FfmpegProbe.EstimateFrequency(middle, decoded.SampleRate);
        var rms = FfmpegProbe.Rms(middle);
        output.WriteLine($"{format} seekable={seekable}: {encoded.Length} bytes, {decoded.CodecName} {decoded.SampleRate} Hz x{decoded.Channels}, {decoded.Duration.TotalMilliseconds:F1} ms, {frequency:F1} Hz, rms {rms:F3}");

        // Assert
        // Opus decoders always run at 48 kHz; the 24 kHz input rate is in OpusHead (checked separately).
        Assert.Equal(format == AudioFormat.Opus ? 48_000 : 24_000, decoded.SampleRate);
        Assert.Equal(1, decoded.Channels);
        Assert.InRange(decoded.Duration.TotalSeconds, 1.9, 2.1);

        // The middle 80% skips the edges, where codecs fade in and out.
        Assert.InRange(frequency, 435, 445);
        Assert.InRange(rms, 0.5 / Math.Sqrt(2) * 0.9, 0.5 / Math.Sqrt(2) * 1.1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PcmIsTwoBytesPerSampleWithoutHeader(bool seekable)
    {
        var input = TestTone.Sine(seconds: 1.5);

        var encoded = await EncodeAsync(AudioFormat.Pcm, input, seekable);

        Assert.Equal(input.Length * 2, encoded.Length);
        Assert.Equal(0, BinaryPrimitives.ReadInt16LittleEndian(encoded));
        Assert.Equal((short)Math.Round(input[10] * short.MaxValue), BinaryPrimitives.ReadInt16LittleEndian(encoded.AsSpan(20)));
    }

    [Fact]
    public async Task OutOfRangeSamplesAreClipped()
    {
        float[] input = [2f, -3f, float.NaN, 1f, -1f];

        var encoded = await EncodeAsync(AudioFormat.Pcm, input, seekable: true);

        short[] expected = [short.MaxValue, -short.MaxValue, 0, short.MaxValue, -short.MaxValue];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], BinaryPrimitives.ReadInt16LittleEndian(encoded.AsSpan(i * 2)));
        }
    }

    [Fact]
    public async Task SeekableWavCarriesExactChunkSizes()
    {
        var input = TestTone.Sine(seconds: 1.0);

        var encoded = await EncodeAsync(AudioFormat.Wav, input, seekable: true);

        Assert.Equal(44 + input.Length * 2, encoded.Length);
        Assert.Equal((uint)(encoded.Length - 8), BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(4)));
        Assert.Equal((uint)(input.Length * 2), BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(40)));
        Assert.Equal(24_000u, BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(24)));
    }

    [Fact]
    public async Task StreamedWavCarriesPlaceholderSizes()
    {
        var encoded = await EncodeAsync(AudioFormat.Wav, TestTone.Sine(seconds: 1.0), seekable: false);

        Assert.Equal(uint.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(4)));
        Assert.Equal(uint.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(40)));
    }

    [Fact]
    public async Task SeekableMp3StartsWithLameInfoTagForGaplessDuration()
    {
        var encoded = await EncodeAsync(AudioFormat.Mp3, TestTone.Sine(seconds: 1.0), seekable: true);

        Assert.True(encoded.AsSpan(0, 200).IndexOf("Info"u8) >= 0, "expected a LAME Info tag in the first frame");
    }

    [Theory]
    [InlineData(true, 48_000UL)]
    [InlineData(false, 0UL)]
    public async Task FlacStreamInfoHasTotalSamplesOnlyWhenSeekable(bool seekable, ulong expectedTotal)
    {
        var encoded = await EncodeAsync(AudioFormat.Flac, TestTone.Sine(seconds: 2.0), seekable);

        // "fLaC", 4-byte block header, then STREAMINFO: the 36-bit total-samples field ends at byte 8 + 18.
        Assert.True(encoded.AsSpan(0, 4).SequenceEqual("fLaC"u8));
        var packed = BinaryPrimitives.ReadUInt64BigEndian(encoded.AsSpan(8 + 10));
        Assert.Equal(24_000UL, packed >> 44);
        Assert.Equal(expectedTotal, packed & 0xF_FFFF_FFFF);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OggOpusPagesAreWellFormed(bool seekable)
    {
        var input = TestTone.Sine(seconds: 2.0);

        var encoded = await EncodeAsync(AudioFormat.Opus, input, seekable);
        var pages = OggPage.ParseAll(encoded);

        Assert.All(pages, page => Assert.Equal(page.StoredCrc, page.ComputedCrc));
        Assert.Equal(Enumerable.Range(0, pages.Count).Select(i => (uint)i), pages.Select(p => p.Sequence));
        Assert.Single(pages.Select(p => p.Serial).Distinct());
        Assert.True(pages[0].BeginOfStream);
        Assert.True(pages[^1].EndOfStream);
        Assert.DoesNotContain(pages[..^1], p => p.EndOfStream);

        var head = pages[0].Body;
        Assert.True(head.AsSpan(0, 8).SequenceEqual("OpusHead"u8));
        Assert.Equal(1, head[9]);
        var preSkip = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(10));
        Assert.Equal(24_000u, BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(12)));
        Assert.True(pages[1].Body.AsSpan(0, 8).SequenceEqual("OpusTags"u8));

        var granules = pages.Skip(2).Select(p => p.Granule).ToList();
        Assert.Equal(granules.Order(), granules);
        Assert.Equal(preSkip + input.Length * 2L, granules[^1]);
        // 20 packets per page at most keeps pages (and so first bytes) frequent.
        Assert.All(pages.Skip(2), p => Assert.InRange(p.PacketCount, 0, 20));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task EncodersEmitBytesBeforeCompletion(AudioFormat format)
    {
        // Arrange
        var output = new NonSeekableStream();
        await using var encoder = Factory.Create(format, output);
        var second = TestTone.Sine(seconds: 1.0);

        // Act: 10 s of audio, one second at a time.
        for (var i = 0; i < 10; i++)
        {
            await encoder.WriteAsync(second, CancellationToken.None);
        }

        var beforeCompletion = output.BytesWritten;
        await encoder.CompleteAsync(CancellationToken.None);

        // Assert: most of the stream was out before the trailer.
        Assert.True(beforeCompletion >= 1_000, $"{format}: only {beforeCompletion} bytes before CompleteAsync");
        Assert.True(beforeCompletion > output.BytesWritten / 2, $"{format}: {beforeCompletion} of {output.BytesWritten} bytes before CompleteAsync");
    }

    [Fact]
    public async Task DisposingAacEncoderMidStreamLeavesNoFfmpegProcess()
    {
        // Arrange
        var output = new NonSeekableStream();
        var encoder = (AacFfmpegEncoder)Factory.Create(AudioFormat.Aac, output);
        var pid = encoder.ProcessId;
        await encoder.WriteAsync(TestTone.Sine(seconds: 1.0), CancellationToken.None);

        // Act: the client went away; nobody calls CompleteAsync.
        await encoder.DisposeAsync();

        // Assert
        Assert.False(IsRunning(pid), $"ffmpeg pid {pid} is still running");
    }

    [Fact]
    public async Task AacOutputFailureSurfacesFromWriteAndDisposeStopsFfmpeg()
    {
        // Arrange
        var encoder = (AacFfmpegEncoder)Factory.Create(AudioFormat.Aac, new FailingStream());
        var pid = encoder.ProcessId;

        // Act
        var error = await Record.ExceptionAsync(async () =>
        {
            for (var i = 0; i < 30; i++)
            {
                await encoder.WriteAsync(TestTone.Sine(seconds: 1.0), CancellationToken.None);
            }

            await encoder.CompleteAsync(CancellationToken.None);
        });
        await encoder.DisposeAsync();

        // Assert
        Assert.IsType<IOException>(error);
        Assert.False(IsRunning(pid), $"ffmpeg pid {pid} is still running");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task EncodersTouchTheOutputOnlyInsideTheirCalls(AudioFormat format)
    {
        // Arrange: the speech endpoint flushes the response between writes, so a background writer would race it.
        var output = new CallScopedStream();
        await using var encoder = Factory.Create(format, output);

        // Act
        foreach (var chunk in TestTone.OddChunks(TestTone.Sine(seconds: 3.0)))
        {
            output.InsideCall = true;
            await encoder.WriteAsync(chunk, CancellationToken.None);
            output.InsideCall = false;
            await Task.Delay(5);
        }

        output.InsideCall = true;
        await encoder.CompleteAsync(CancellationToken.None);
        output.InsideCall = false;
        await Task.Delay(50);

        // Assert
        Assert.Equal(0, output.WritesOutsideCalls);
        Assert.True(output.BytesWritten > 0);
    }

    [Fact]
    public void MissingFfmpegThrowsNamingTheDebianPackage()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new AacFfmpegEncoder(new MemoryStream(), "/nonexistent/ffmpeg", NullLogger.Instance));

        Assert.Contains("apt-get install ffmpeg", error.Message);
    }

    [Fact]
    public void MissingNativeLibraryErrorNamesTheDebianPackage()
    {
        var error = NativeLibraries.Missing("libmp3lame.so.0", "libmp3lame0", new DllNotFoundException());

        Assert.Contains("libmp3lame.so.0", error.Message);
        Assert.Contains("apt-get install libmp3lame0", error.Message);
    }

    [Fact]
    public async Task WritingAfterCompletionThrows()
    {
        await using var encoder = Factory.Create(AudioFormat.Wav, new MemoryStream());
        await encoder.CompleteAsync(CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => encoder.WriteAsync(new float[10], CancellationToken.None).AsTask());
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task FactoryCreatesEncoderForEveryFormat(AudioFormat format)
    {
        await using var encoder = Factory.Create(format, new MemoryStream());

        Assert.Equal(format, encoder.Format);
    }

    internal static async Task<byte[]> EncodeAsync(AudioFormat format, float[] input, bool seekable)
    {
        if (seekable)
        {
            var memory = new MemoryStream();
            await using (var encoder = Factory.Create(format, memory))
            {
                await WriteAllAsync(encoder, input);
            }

            return memory.ToArray();
        }

        var stream = new NonSeekableStream();
        await using (var encoder = Factory.Create(format, stream))
        {
            await WriteAllAsync(encoder, input);
        }

        return stream.ToArray();
    }

    private static async Task WriteAllAsync(IAudioEncoder encoder, float[] input)
    {
        foreach (var chunk in TestTone.OddChunks(input))
        {
            await encoder.WriteAsync(chunk, CancellationToken.None);
        }

        await encoder.CompleteAsync(CancellationToken.None);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private sealed class CallScopedStream : WriteOnlyStream
    {
        private int _writesOutsideCalls;
        private long _bytes;

        public volatile bool InsideCall;

        public int WritesOutsideCalls => Volatile.Read(ref _writesOutsideCalls);
        public long BytesWritten => Interlocked.Read(ref _bytes);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (!InsideCall)
            {
                Interlocked.Increment(ref _writesOutsideCalls);
            }

            Interlocked.Add(ref _bytes, count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!InsideCall)
            {
                Interlocked.Increment(ref _writesOutsideCalls);
            }

            Interlocked.Add(ref _bytes, buffer.Length);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class FailingStream : WriteOnlyStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("client disconnected");
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException(new IOException("client disconnected"));
    }
}
