using System.Net.WebSockets;

namespace PatternTts.Service.Api.Realtime;

/// <summary>
/// The audio of one socket response (everything up to a flush): one encoder from its first chunk to its
/// <c>audio.done</c>, so each response is a whole stream of its format, and the word times on the socket's clock.
/// </summary>
internal sealed class SocketResponse(SpeechSocketSession session) : IAsyncDisposable
{
    private readonly PendingAudioStream _bytes = new();
    private IAudioEncoder? _encoder;
    private AudioEncoding? _encoding;
    private SpeechTotals _totals = new();
    private long _started;
    private string _engine = "";
    private int _id = 1;
    private long _socketSamples;
    private bool _binary = true;

    public async Task WriteAsync(string engine, SocketSettings settings, SpeechChunk chunk, InputWordMapper? words, CancellationToken cancellationToken)
    {
        if (chunk.Samples.Length == 0)
        {
            return;
        }

        if (_encoder is null || _encoding != settings.Encoding)
        {
            // A new response, or new settings mid-response: the previous encoding is finished first.
            if (_encoder is not null)
            {
                await CompleteEncoderAsync(_binary, cancellationToken);
            }

            _encoding = settings.Encoding;
            _binary = settings.BinaryAudio;
            _encoder = session.Encoders.Create(settings.Encoding, _bytes);
            _engine = engine;
            _started = _started == 0 ? Stopwatch.GetTimestamp() : _started;
        }

        await _encoder.WriteAsync(chunk.Samples, cancellationToken);
        await SendAudioAsync(settings.BinaryAudio, cancellationToken);
        if (_totals.Chunks == 0)
        {
            session.Metrics.FirstAudio(engine, Stopwatch.GetElapsedTime(_started).TotalSeconds);
        }

        _totals.Add(chunk);
        if (words is not null)
        {
            await SendTimingsAsync(words.Add(SpeechTimeline.Place(chunk, _socketSamples)), cancellationToken);
        }

        _socketSamples += chunk.Samples.Length;
    }

    public async Task SendTimingsAsync(IReadOnlyList<InputWordTiming> words, CancellationToken cancellationToken)
    {
        if (words.Count > 0)
        {
            var timings = SpeechAudioTimestamps.From("audio.timings", words);
            await session.SendJsonAsync(new SocketAudioTimings(timings.Type, _id, timings.Timestamps), ServiceJsonContext.Readable.SocketAudioTimings, cancellationToken);
        }
    }

    /// <summary>Ends the response: the encoder's tail, then <c>audio.done</c> with what it carried.</summary>
    public async Task FinishAsync(string status, CancellationToken cancellationToken)
    {
        if (_encoder is not null && status == "completed")
        {
            await CompleteEncoderAsync(_binary, cancellationToken);
        }

        await DisposeEncoderAsync();
        _bytes.Take();
        var usage = SpeechUsage.From(_totals.PhonemeTokens, _totals.Samples);
        await session.SendJsonAsync(new SocketAudioDone("audio.done", _id, status, Math.Round(_totals.AudioSeconds, 3), usage), ServiceJsonContext.Readable.SocketAudioDone, cancellationToken);
        if (_totals.Chunks > 0)
        {
            session.Metrics.Completed(_engine, _encoding?.Format.Name() ?? "", status == "completed" ? "ok" : "cancelled",
                Stopwatch.GetElapsedTime(_started).TotalSeconds, _totals.AudioSeconds, _totals.ModelTime.TotalSeconds);
        }

        _id++;
        _totals = new SpeechTotals();
        _started = 0;
    }

    public ValueTask DisposeAsync() => DisposeEncoderAsync();

    private async Task CompleteEncoderAsync(bool binary, CancellationToken cancellationToken)
    {
        await _encoder!.CompleteAsync(cancellationToken);
        await SendAudioAsync(binary, cancellationToken);
        await DisposeEncoderAsync();
    }

    private async ValueTask DisposeEncoderAsync()
    {
        if (_encoder is not null)
        {
            await _encoder.DisposeAsync();
            _encoder = null;
        }
    }

    private async Task SendAudioAsync(bool binary, CancellationToken cancellationToken)
    {
        var bytes = _bytes.Take();
        if (bytes.Length == 0)
        {
            return;
        }

        if (binary)
        {
            await session.SendAsync(bytes, WebSocketMessageType.Binary, cancellationToken);
        }
        else
        {
            await session.SendJsonAsync(new SocketAudioDelta("audio.delta", _id, Convert.ToBase64String(bytes)), ServiceJsonContext.Readable.SocketAudioDelta, cancellationToken);
        }
    }
}
