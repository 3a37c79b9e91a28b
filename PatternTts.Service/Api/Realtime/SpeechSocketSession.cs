using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

namespace PatternTts.Service.Api.Realtime;

/// <summary>What one socket speaks with; changed by <c>session.update</c>, read when each clause starts.</summary>
internal sealed record SocketSettings(
    VoicePack Voice,
    KokoroLanguage Language,
    AudioEncoding Encoding,
    float Speed,
    NormalizationOptions Normalization,
    bool Timestamps,
    bool BinaryAudio);

/// <summary>
/// One speech socket: text in as it is written, audio out as it is spoken. The receive loop reads the client's
/// messages and turns complete clauses into work; the speak loop synthesizes them one at a time through the shared
/// <see cref="SynthesisScheduler"/> (a socket waiting for text holds no slot) and sends the audio. Sends are awaited,
/// so a client that stops reading stops the synthesis instead of filling memory.
/// </summary>
internal sealed partial class SpeechSocketSession(
    WebSocket socket,
    EngineSelector engines,
    SynthesisScheduler scheduler,
    IAudioEncoderFactory encoders,
    VoiceStore voices,
    TtsMetrics metrics,
    TtsOptions options,
    bool development,
    ILogger logger) : IAsyncDisposable
{
    /// <summary>The largest client message: room for a long append and its JSON.</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>Close code for "try again later" (RFC 6455 registry), sent when the service is at capacity.</summary>
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly Channel<Work> _work = Channel.CreateUnbounded<Work>(new() { SingleReader = true, SingleWriter = true });
    private readonly ClauseBuffer _text = new(options.MaxTextLength);
    private readonly CancellationTokenSource _closing = new();
    private SocketSettings _settings = null!;
    private CancellationTokenSource _generation = new();
    private int _queuedCharacters;
    private Task<ValueWebSocketReceiveResult>? _receive;

    /// <summary>A clause to speak, or the end of a response: a flush, the end of input (<paramref name="Last"/>) or a cancel (<paramref name="Cancel"/>).</summary>
    private sealed record Work(PendingClause? Clause, bool Last, CancellationToken Cancelled, bool Cancel = false);

    public async Task RunAsync(CancellationToken aborted)
    {
        _settings = new SocketSettings(
            SpeechRequestReader.ResolveVoice(voices, null), SpeechRequestReader.ReadLanguage("a", "lang_code"), new AudioEncoding(AudioFormat.Pcm),
            1f, NormalizationOptions.Default, Timestamps: false, BinaryAudio: true);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, _closing.Token);
        var speaking = SpeakLoopAsync(linked.Token);
        try
        {
            await ReceiveLoopAsync(linked.Token);
            _work.Writer.TryComplete();
            await speaking;
            await CloseAsync(WebSocketCloseStatus.NormalClosure, "input ended", aborted);
        }
        catch (SocketClosedException)
        {
            // An error event was sent and the socket closed; the speak loop stops with it.
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            // The speak loop failed and closed the socket while the receive loop waited.
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException && aborted.IsCancellationRequested)
        {
            LogClientLeft(logger);
        }
        catch (WebSocketException)
        {
            LogClientLeft(logger);
        }
        finally
        {
            await _closing.CancelAsync();
            _work.Writer.TryComplete();
            await Task.WhenAny(speaking);
            await Task.WhenAny(AwaitClientCloseAsync(), Task.Delay(CloseWait, CancellationToken.None));
        }
    }

    /// <summary>How long a closing socket waits for the client's close frame, so the last events are delivered before the connection ends.</summary>
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(2);

    private async Task AwaitClientCloseAsync()
    {
        try
        {
            if (_receive is { IsCompleted: false } pending && (await pending).MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            var buffer = new byte[4096];
            while (socket.State == WebSocketState.CloseSent)
            {
                if ((await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None)).MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Gone already.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _generation.Dispose();
        _closing.Dispose();
        _send.Dispose();
        await ValueTask.CompletedTask;
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxMessageBytes];
        while (true)
        {
            var (length, kind) = await ReceiveMessageAsync(buffer, cancellationToken);
            if (kind == WebSocketMessageType.Close)
            {
                // The client closed without input.end: nothing more is wanted.
                await _generation.CancelAsync();
                await CloseAsync(WebSocketCloseStatus.NormalClosure, "closed by client", cancellationToken);
                throw new SocketClosedException();
            }

            if (kind != WebSocketMessageType.Text)
            {
                await FailAsync(ApiException.BadRequest("Messages must be JSON text frames.", null, "invalid_message"), WebSocketCloseStatus.InvalidMessageType, cancellationToken);
            }

            SocketClientMessage message;
            try
            {
                message = JsonSerializer.Deserialize(buffer.AsSpan(0, length), ServiceJsonContext.Readable.SocketClientMessage)
                    ?? throw new JsonException("The message is null.");
            }
            catch (JsonException e)
            {
                await FailAsync(ApiException.BadRequest($"The message is not valid JSON: {e.Message}", null, "invalid_json"), WebSocketCloseStatus.InvalidPayloadData, cancellationToken);
                return;
            }

            if (await HandleAsync(message, cancellationToken))
            {
                return;
            }
        }
    }

    /// <summary>Acts on one message; true when it ended the input.</summary>
    private async Task<bool> HandleAsync(SocketClientMessage message, CancellationToken cancellationToken)
    {
        try
        {
            switch (message.Type)
            {
                case "session.update":
                    _settings = Update(_settings, message);
                    await SendJsonAsync(Describe(_settings), ServiceJsonContext.Readable.SocketSession, cancellationToken);
                    return false;
                case "input.append":
                    if (message.Text is null)
                    {
                        throw ApiException.BadRequest("input.append needs 'text'.", "text", "missing_required_parameter");
                    }

                    if (!_text.TryAppend(message.Text) || _queuedCharacters + _text.Length > options.MaxTextLength)
                    {
                        throw ApiException.BadRequest(
                            $"More than {options.MaxTextLength} characters are waiting to be spoken (TTS_MAX_TEXT_LENGTH); send less ahead of the audio.", "text", "input_too_long");
                    }

                    Queue(_text.TakeClauses());
                    return false;
                case "input.flush":
                    Queue(_text.TakeAll());
                    _work.Writer.TryWrite(new Work(null, Last: false, _generation.Token));
                    return false;
                case "input.end":
                    Queue(_text.TakeAll());
                    _work.Writer.TryWrite(new Work(null, Last: true, _generation.Token));
                    return true;
                case "response.cancel":
                    _text.Clear();
                    var cancelled = _generation;
                    _generation = new CancellationTokenSource();
                    await cancelled.CancelAsync();
                    _work.Writer.TryWrite(new Work(null, Last: false, cancelled.Token, Cancel: true));
                    return false;
                default:
                    throw ApiException.BadRequest(
                        $"Unknown message type '{message.Type}'. Use session.update, input.append, input.flush, input.end or response.cancel.", "type", "invalid_message_type");
            }
        }
        catch (ApiException e)
        {
            await FailAsync(e, WebSocketCloseStatus.PolicyViolation, cancellationToken);
            return true;
        }
    }

    private void Queue(IReadOnlyList<PendingClause> clauses)
    {
        foreach (var clause in clauses)
        {
            Interlocked.Add(ref _queuedCharacters, clause.Text.Length);
            _work.Writer.TryWrite(new Work(clause, Last: false, _generation.Token));
        }
    }

    private async Task SpeakLoopAsync(CancellationToken cancellationToken)
    {
        var response = new SocketResponse(this);
        try
        {
            await foreach (var work in _work.Reader.ReadAllAsync(cancellationToken))
            {
                if (work.Clause is { } clause)
                {
                    Interlocked.Add(ref _queuedCharacters, -clause.Text.Length);
                    if (!work.Cancelled.IsCancellationRequested)
                    {
                        await SpeakAsync(response, clause, work.Cancelled, cancellationToken);
                    }

                    continue;
                }

                // A flush that a cancel overtook ends nothing: the cancel's own marker answers for that response.
                if (work.Cancelled.IsCancellationRequested && !work.Cancel && !work.Last)
                {
                    continue;
                }

                await response.FinishAsync(work.Cancel ? "cancelled" : "completed", cancellationToken);
                if (work.Last)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not (SocketClosedException or WebSocketException))
        {
            var error = OpenAiErrorHandler.Known(e, development);
            if (error is null)
            {
                LogFailed(logger, e);
            }

            error ??= new ApiException(500, "The service failed to synthesize the clause.", null, "internal_error");
            await FailAsync(error, error.Status switch
            {
                429 => TryAgainLater,
                >= 500 => WebSocketCloseStatus.InternalServerError,
                _ => WebSocketCloseStatus.PolicyViolation,
            }, cancellationToken);
        }
        catch (SocketClosedException)
        {
        }
        finally
        {
            await response.DisposeAsync();
        }
    }

    private async Task SpeakAsync(SocketResponse response, PendingClause clause, CancellationToken cancelled, CancellationToken cancellationToken)
    {
        var settings = _settings;
        var engine = engines.Select(OpenAiModelIds.All[0]);
        var job = new SpeechJob(clause.Text, settings.Voice, settings.Language, settings.Speed, settings.Normalization, WordTimings: settings.Timestamps, Streamed: true);
        var words = settings.Timestamps ? new InputWordMapper(clause.Text, clause.Offset) : null;
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancelled, cancellationToken);
        try
        {
            var chunks = scheduler.RunAsync(engine.SynthesizeAsync(job, both.Token), new SynthesisDemand(clause.Text.Length, Streamed: true), both.Token);
            await foreach (var chunk in chunks.WithCancellation(both.Token))
            {
                await response.WriteAsync(engine.Name, settings, chunk, words, cancellationToken);
            }

            if (words is not null)
            {
                await response.SendTimingsAsync(words.Finish(), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancelled.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // response.cancel: the response is finished as cancelled when its marker comes through.
        }
        catch (NothingToSpeakException)
        {
            // A clause of punctuation only: nothing to say, and nothing wrong.
        }
    }

    private SocketSettings Update(SocketSettings current, SocketClientMessage message)
    {
        var encoding = current.Encoding;
        if (message.ResponseFormat is not null || message.SampleRate is not null)
        {
            encoding = SpeechRequestReader.ReadEncoding(message.ResponseFormat ?? current.Encoding.Format.Name(), message.SampleRate, null);
            if (!encoding.Format.Concatenates())
            {
                throw ApiException.BadRequest(
                    $"response_format '{encoding.Format.Name()}' has a header or trailer that cannot be cut mid-stream; use pcm, mp3, opus, aac, ulaw or alaw on the socket.", "response_format", "unsupported_response_format");
            }
        }

        var voice = message.Voice is null ? current.Voice : SpeechRequestReader.ResolveVoice(voices, message.Voice);
        var language = message.LangCode is not null
            ? SpeechRequestReader.ReadLanguage(message.LangCode, "lang_code")
            : message.Voice is not null ? SpeechRequestReader.ReadLanguage(voice.LanguageCode.ToString(), "voice") : current.Language;
        return new SocketSettings(
            voice,
            language,
            encoding,
            message.Speed is null ? current.Speed : (float)SpeechRequestReader.ReadSpeed(message.Speed),
            message.NormalizationOptions ?? current.Normalization,
            message.IncludeTimestamps ?? current.Timestamps,
            message.BinaryAudio ?? current.BinaryAudio);
    }

    private static SocketSession Describe(SocketSettings s) => new(
        "session.updated", s.Voice.Name, s.Encoding.Format.Name(), s.Encoding.SampleRate, s.Speed, s.Language.Code.ToString(), s.Timestamps, s.BinaryAudio);

    private async Task<(int Length, WebSocketMessageType Kind)> ReceiveMessageAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            // A cancelled receive aborts a WebSocket (and drops what is still unsent), so the idle limit and the
            // session's end race the receive instead of cancelling it.
            var receive = _receive = socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).AsTask();
            while (await Task.WhenAny(receive, Task.Delay(TimeSpan.FromSeconds(options.SocketIdleSeconds), cancellationToken)) != receive)
            {
                // The session is ending (the speak loop failed, or the client left): stop waiting for messages.
                cancellationToken.ThrowIfCancellationRequested();
                // Still speaking what was sent: waiting for the client is not idling.
                if (Volatile.Read(ref _queuedCharacters) == 0)
                {
                    await FailAsync(new ApiException(408, $"No message for {options.SocketIdleSeconds} s (TTS_SOCKET_IDLE_SECONDS).", null, "idle_timeout"),
                        WebSocketCloseStatus.EndpointUnavailable, cancellationToken);
                }
            }

            var result = await receive;

            length += result.Count;
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
            {
                return (length, result.MessageType);
            }

            if (length == buffer.Length)
            {
                await FailAsync(ApiException.BadRequest($"A message may hold at most {MaxMessageBytes} bytes; split long text over several input.append messages.", "text", "message_too_large"),
                    WebSocketCloseStatus.MessageTooBig, cancellationToken);
            }
        }
    }

    /// <summary>Sends the error event, closes with <paramref name="status"/>, and ends the session.</summary>
    private async Task FailAsync(ApiException error, WebSocketCloseStatus status, CancellationToken cancellationToken)
    {
        LogError(logger, error.Code, error.Message);
        try
        {
            await SendJsonAsync(new SocketErrorEvent("error", error.ToResponse().Error), ServiceJsonContext.Readable.SocketErrorEvent, cancellationToken);
            await CloseAsync(status, error.Code ?? "error", cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away first.
        }

        await _closing.CancelAsync();
        throw new SocketClosedException();
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken);
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(status, reason.Length > 120 ? reason[..120] : reason, cancellationToken);
            }
        }
        finally
        {
            _send.Release();
        }
    }

    internal async Task SendJsonAsync<T>(T message, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        await SendAsync(JsonSerializer.SerializeToUtf8Bytes(message, type), WebSocketMessageType.Text, cancellationToken);

    internal async Task SendAsync(ReadOnlyMemory<byte> bytes, WebSocketMessageType kind, CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken);
        try
        {
            if (socket.State != WebSocketState.Open)
            {
                throw new SocketClosedException();
            }

            await socket.SendAsync(bytes, kind, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _send.Release();
        }
    }

    internal IAudioEncoderFactory Encoders => encoders;

    internal TtsMetrics Metrics => metrics;

    [LoggerMessage(EventId = 80, Level = LogLevel.Information, Message = "Speech socket client went away")]
    private static partial void LogClientLeft(ILogger logger);

    [LoggerMessage(EventId = 81, Level = LogLevel.Information, Message = "Speech socket closed with {Code}: {Message}")]
    private static partial void LogError(ILogger logger, string? code, string message);

    [LoggerMessage(EventId = 82, Level = LogLevel.Error, Message = "Speech socket synthesis failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

/// <summary>The socket was closed (by an error or the client): nothing more can be sent.</summary>
internal sealed class SocketClosedException() : Exception("The speech socket is closed.");
