using System.ComponentModel;
using System.Globalization;
using System.Threading.Channels;

namespace PatternTts.Service.Audio;

/// <summary>
/// ADTS AAC through an ffmpeg child process. PCM goes to ffmpeg's stdin; a background pump drains its stdout into
/// a queue, and the queued AAC is written to the output inside WriteAsync/CompleteAsync only, so the output stream
/// is never touched concurrently with the caller (which flushes it between writes). Disposing before completion
/// (a client that hung up) kills the process so none are left behind.
/// </summary>
internal sealed class AacFfmpegEncoder : IAudioEncoder
{
    private const string FfmpegDebianPackage = "ffmpeg";
    private const int PumpBufferSize = 16 * 1024;
    private const int SamplesPerAacFrame = 1024;
    // ffmpeg holds back up to a demuxer packet (1024 samples) plus the AAC encoder's one-frame delay; one more frame
    // of slack keeps WriteAsync from waiting for output that cannot exist yet.
    private const int FramesHeldByFfmpeg = 3;
    // Upper bound on how long a write waits for ffmpeg to catch up; it only affects latency, never correctness.
    private static readonly TimeSpan MaxOutputWait = TimeSpan.FromMilliseconds(500);

    private readonly Stream _output;
    private readonly ILogger _logger;
    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly Channel<byte[]> _encoded = Channel.CreateUnbounded<byte[]>(new() { SingleReader = true, SingleWriter = true });
    private readonly AdtsFrameCounter _framesWritten = new();
    private readonly Task _pump;
    private readonly Task<string> _stderr;
    private long _samplesIn;
    private bool _completed;
    private bool _disposed;

    public AacFfmpegEncoder(Stream output, string ffmpegPath, ILogger logger, int sampleRate = AudioConstants.SampleRate)
    {
        _output = output;
        _logger = logger;
        var startInfo = new ProcessStartInfo(ffmpegPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])
        [
            "-hide_banner", "-loglevel", "error",
            // Raw PCM needs no probing; the default analysis would hold back ~2 s of input before encoding starts.
            "-probesize", "32", "-analyzeduration", "0",
            "-f", "s16le", "-ar", sampleRate.ToString(CultureInfo.InvariantCulture), "-ac", "1", "-i", "pipe:0",
            "-c:a", "aac", "-b:a", "64k",
            // Without this ffmpeg fills a 32 KiB I/O buffer before writing, i.e. seconds of AAC at 64 kbps.
            "-flush_packets", "1",
            "-f", "adts", "pipe:1",
        ])
        {
            startInfo.ArgumentList.Add(argument);
        }

        try
        {
            _process = Process.Start(startInfo) ?? throw new InvalidOperationException("ffmpeg did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"Could not start '{ffmpegPath}' for AAC encoding. Install the Debian package '{FfmpegDebianPackage}' (apt-get install {FfmpegDebianPackage}).", ex);
        }

        _stdin = _process.StandardInput.BaseStream;
        _stderr = _process.StandardError.ReadToEndAsync();
        _pump = PumpAsync();
        AudioLog.AacEncoderStarted(_logger, _process.Id);
    }

    public AudioFormat Format => AudioFormat.Aac;

    /// <summary>The ffmpeg child's process id, for tests that check it is gone after disposal.</summary>
    internal int ProcessId => _process.Id;

    public async ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        EncoderGuards.ThrowIfCompleted(_completed);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (samples.IsEmpty)
        {
            return;
        }

        try
        {
            await PcmEncoder.WritePcmAsync(_stdin, samples, cancellationToken);
            await _stdin.FlushAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            // A broken pipe means ffmpeg died; its stderr says why.
            await ThrowFailureAsync(ex);
        }

        _samplesIn += samples.Length;
        await WriteEncodedAsync(_samplesIn / SamplesPerAacFrame - FramesHeldByFfmpeg, cancellationToken);
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        EncoderGuards.ThrowIfCompleted(_completed);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _completed = true;

        try
        {
            await _stdin.DisposeAsync();
        }
        catch (IOException ex)
        {
            await ThrowFailureAsync(ex);
        }

        await foreach (var chunk in _encoded.Reader.ReadAllAsync(cancellationToken))
        {
            await WriteChunkAsync(chunk, cancellationToken);
        }

        await _pump.WaitAsync(cancellationToken);
        await _process.WaitForExitAsync(cancellationToken);
        if (_process.ExitCode != 0)
        {
            var stderr = await _stderr.WaitAsync(cancellationToken);
            throw new InvalidOperationException($"ffmpeg AAC encoding failed with exit code {_process.ExitCode}: {stderr.Trim()}");
        }

        await _output.FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            AudioLog.AacEncoderKilled(_logger, _process.Id);
            Kill();
        }

        try
        {
            await _stdin.DisposeAsync();
        }
        catch (IOException)
        {
            // The pipe is already broken because the process is gone; nothing is left to flush.
        }

        // Both end once the killed process's pipes close; their outcome no longer matters.
        await Task.WhenAll(_pump, _stderr).ContinueWith(static _ => { }, TaskScheduler.Default);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>Writes queued AAC, waiting (bounded) until at least <paramref name="expectedFrames"/> frames are out.</summary>
    private async ValueTask WriteEncodedAsync(long expectedFrames, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(MaxOutputWait);
        while (true)
        {
            while (_encoded.Reader.TryRead(out var chunk))
            {
                await WriteChunkAsync(chunk, cancellationToken);
            }

            if (_framesWritten.Count >= expectedFrames)
            {
                return;
            }

            try
            {
                if (!await _encoded.Reader.WaitToReadAsync(timeout.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async ValueTask WriteChunkAsync(byte[] chunk, CancellationToken cancellationToken)
    {
        await _output.WriteAsync(chunk, cancellationToken);
        _framesWritten.Add(chunk);
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[PumpBufferSize];
        var stdout = _process.StandardOutput.BaseStream;
        try
        {
            int read;
            while ((read = await stdout.ReadAsync(buffer)) > 0)
            {
                _encoded.Writer.TryWrite(buffer.AsSpan(0, read).ToArray());
            }

            _encoded.Writer.TryComplete();
        }
        catch (Exception ex)
        {
            _encoded.Writer.TryComplete(ex);
            throw;
        }
    }

    private void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private async Task ThrowFailureAsync(IOException pipeError)
    {
        await _process.WaitForExitAsync();
        var stderr = await _stderr;
        throw new InvalidOperationException($"ffmpeg AAC encoder exited with code {_process.ExitCode}: {stderr.Trim()}", pipeError);
    }

    /// <summary>Counts complete ADTS frames in a byte stream, using each header's 13-bit frame length.</summary>
    private sealed class AdtsFrameCounter
    {
        private const int HeaderLength = 7;
        private readonly byte[] _header = new byte[HeaderLength];
        private int _headerFill;
        private int _bodyRemaining;

        public long Count { get; private set; }

        public void Add(ReadOnlySpan<byte> data)
        {
            while (!data.IsEmpty)
            {
                if (_bodyRemaining > 0)
                {
                    var skip = Math.Min(_bodyRemaining, data.Length);
                    _bodyRemaining -= skip;
                    data = data[skip..];
                    if (_bodyRemaining == 0)
                    {
                        Count++;
                    }

                    continue;
                }

                var take = Math.Min(HeaderLength - _headerFill, data.Length);
                data[..take].CopyTo(_header.AsSpan(_headerFill));
                _headerFill += take;
                data = data[take..];
                if (_headerFill == HeaderLength)
                {
                    _headerFill = 0;
                    var frameLength = ((_header[3] & 0x03) << 11) | (_header[4] << 3) | (_header[5] >> 5);
                    _bodyRemaining = Math.Max(frameLength - HeaderLength, 0);
                    if (_bodyRemaining == 0)
                    {
                        Count++;
                    }
                }
            }
        }
    }
}
