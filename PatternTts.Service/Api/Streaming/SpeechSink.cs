namespace PatternTts.Service.Api.Streaming;

/// <summary>
/// How a <see cref="SpeechResponse"/> writes its chunks: each sink encodes the samples with the response's format
/// and shapes what reaches the body. It sets its headers when created, which is after the first chunk exists and
/// before any byte is written.
/// </summary>
public abstract class SpeechSink(HttpResponse response, IAudioEncoder encoder) : IAsyncDisposable
{
    private bool _encoderDisposed;

    protected HttpResponse Response { get; } = response;

    /// <param name="maxBufferedBytes">The most a whole (not streamed) body may hold before it is refused.</param>
    /// <param name="words">Where SSE timestamps are placed on the input's words, when they are asked for.</param>
    public static SpeechSink Create(SpeechOutput output, HttpResponse response, IAudioEncoderFactory encoders, int maxBufferedBytes, InputWordMapper? words = null) => output.Body switch
    {
        SpeechBody.Sse => new SseSink(response, encoders, output.Encoding, words),
        SpeechBody.Captions => new CaptionSink(response, encoders, output.Encoding, output.Stream ? null : new BoundedBuffer(maxBufferedBytes)),
        _ => new AudioSink(response, encoders, output.Encoding, output.Stream ? null : new BoundedBuffer(maxBufferedBytes)),
    };

    public async ValueTask WriteAsync(SpeechChunk chunk, CancellationToken cancellationToken)
    {
        await encoder.WriteAsync(chunk.Samples, cancellationToken);
        await ChunkEncodedAsync(chunk, cancellationToken);
    }

    /// <summary>Ends the encoding (container trailers included), then whatever the body still owes.</summary>
    public async ValueTask CompleteAsync(SpeechTotals totals, CancellationToken cancellationToken)
    {
        await encoder.CompleteAsync(cancellationToken);
        await DisposeEncoderAsync();
        await FinishAsync(totals, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return DisposeEncoderAsync();
    }

    /// <summary>Called after each chunk's samples went into the encoder.</summary>
    protected abstract ValueTask ChunkEncodedAsync(SpeechChunk chunk, CancellationToken cancellationToken);

    protected abstract ValueTask FinishAsync(SpeechTotals totals, CancellationToken cancellationToken);

    private ValueTask DisposeEncoderAsync()
    {
        if (_encoderDisposed)
        {
            return ValueTask.CompletedTask;
        }

        _encoderDisposed = true;
        return encoder.DisposeAsync();
    }
}

/// <summary>Encoded audio as the body: flushed chunk by chunk when streaming, else one buffer with its exact length.</summary>
internal sealed class AudioSink : SpeechSink
{
    private readonly MemoryStream? _whole;

    /// <param name="whole">Where a whole response is gathered, or null to stream.</param>
    public AudioSink(HttpResponse response, IAudioEncoderFactory encoders, AudioEncoding encoding, MemoryStream? whole)
        : base(response, encoders.Create(encoding, (Stream?)whole ?? response.Body))
    {
        _whole = whole;
        response.ContentType = encoding.Format.ContentType();
        response.Headers.ContentDisposition = $"attachment; filename=speech.{encoding.Format.Name()}";
    }

    protected override async ValueTask ChunkEncodedAsync(SpeechChunk chunk, CancellationToken cancellationToken)
    {
        if (_whole is null)
        {
            await Response.Body.FlushAsync(cancellationToken);
        }
    }

    protected override async ValueTask FinishAsync(SpeechTotals totals, CancellationToken cancellationToken)
    {
        if (_whole is not null)
        {
            Response.ContentLength = _whole.Length;
            _whole.Position = 0;
            await _whole.CopyToAsync(Response.Body, cancellationToken);
        }
    }
}

/// <summary>
/// OpenAI's <c>stream_format: "sse"</c>: one <c>speech.audio.delta</c> event per encoded block, then <c>speech.audio.done</c>
/// with usage. With <c>include_timestamps</c>, a <c>speech.audio.timestamps</c> event after a chunk's audio gives the
/// input words that audio settled (OpenAI's clients skip event types they do not know).
/// </summary>
internal sealed class SseSink : SpeechSink
{
    private readonly SseAudioStream _events;
    private readonly InputWordMapper? _words;
    private long _offset;

    public SseSink(HttpResponse response, IAudioEncoderFactory encoders, AudioEncoding encoding, InputWordMapper? words)
        : this(response, encoders, encoding, new SseAudioStream(response.Body), words)
    {
    }

    private SseSink(HttpResponse response, IAudioEncoderFactory encoders, AudioEncoding encoding, SseAudioStream events, InputWordMapper? words)
        : base(response, encoders.Create(encoding, events))
    {
        _events = events;
        _words = words;
        response.ContentType = "text/event-stream";
    }

    protected override async ValueTask ChunkEncodedAsync(SpeechChunk chunk, CancellationToken cancellationToken)
    {
        await _events.FlushAsync(cancellationToken);
        if (_words is not null)
        {
            await WriteTimestampsAsync(_words.Add(SpeechTimeline.Place(chunk, _offset)), cancellationToken);
        }

        _offset += chunk.Samples.Length;
    }

    protected override async ValueTask FinishAsync(SpeechTotals totals, CancellationToken cancellationToken)
    {
        if (_words is not null)
        {
            await WriteTimestampsAsync(_words.Finish(), cancellationToken);
        }

        await SseAudioStream.WriteDoneAsync(Response.Body, SpeechUsage.From(totals.PhonemeTokens, totals.Samples), cancellationToken);
    }

    private async ValueTask WriteTimestampsAsync(IReadOnlyList<InputWordTiming> words, CancellationToken cancellationToken)
    {
        if (words.Count > 0)
        {
            await SseAudioStream.WriteTimestampsAsync(Response.Body, words, cancellationToken);
        }
    }
}

/// <summary>
/// A memory buffer for a whole response that refuses to grow past its limit, so one request cannot take the memory;
/// nothing has been sent when it refuses, so the client gets a 400 asking it to stream.
/// </summary>
internal sealed class BoundedBuffer(int limit) : MemoryStream
{
    public override void Write(byte[] buffer, int offset, int count)
    {
        EnsureRoom(count);
        base.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        EnsureRoom(buffer.Length);
        base.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        EnsureRoom(count);
        return base.WriteAsync(buffer, offset, count, cancellationToken);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureRoom(buffer.Length);
        return base.WriteAsync(buffer, cancellationToken);
    }

    public override void WriteByte(byte value)
    {
        EnsureRoom(1);
        base.WriteByte(value);
    }

    private void EnsureRoom(int count)
    {
        if (Position + count > limit)
        {
            throw new ResponseTooLargeException(limit);
        }
    }
}
