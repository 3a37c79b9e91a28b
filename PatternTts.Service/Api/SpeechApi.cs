namespace PatternTts.Service.Api;

public static partial class SpeechApi
{
    public const string EngineHeader = "X-Tts-Engine";

    public static RouteGroupBuilder MapSpeechApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/audio").WithTags("Speech");
        api.MapPost("/speech", SynthesizeAsync)
            .WithName("CreateSpeech")
            .WithSummary("Turns text into speech (OpenAI-compatible; streams by default).")
            .Accepts<SpeechRequest>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: "audio/mpeg")
            .Produces<OpenAiErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status429TooManyRequests)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    internal static async Task SynthesizeAsync(
        HttpContext context,
        SpeechRequestReader reader,
        EngineSelector engines,
        SynthesisLimiter limiter,
        IAudioEncoderFactory encoders,
        TtsMetrics metrics,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var request = await reader.ReadAsync(context.Request, cancellationToken);
        var engine = engines.Select(request.Model);

        using var lease = await limiter.AcquireAsync(cancellationToken);

        // Pull the first chunk before any header is sent: a failure this early still gets a proper error status.
        await using var chunks = engine.SynthesizeAsync(request.Job, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var hasAudio = await chunks.MoveNextAsync();

        var response = context.Response;
        var format = request.Format;
        response.Headers[EngineHeader] = engine.Name;
        response.Headers.CacheControl = "no-cache";
        if (request.Sse)
        {
            response.ContentType = "text/event-stream";
        }
        else
        {
            response.ContentType = format.ContentType();
            response.Headers.ContentDisposition = $"attachment; filename=speech.{format.Name()}";
        }

        var streaming = request.Stream || request.Sse;
        if (streaming)
        {
            response.Headers["X-Accel-Buffering"] = "no";
        }

        var logger = loggerFactory.CreateLogger(typeof(SpeechApi));
        var buffer = streaming ? null : new MemoryStream();
        var sse = request.Sse ? new SseAudioStream(response.Body) : null;
        Stream target = buffer ?? sse ?? response.Body;
        long samples = 0;
        var tokens = 0;
        var firstAudioRecorded = false;
        try
        {
            await using (var encoder = encoders.Create(format, target))
            {
                while (hasAudio)
                {
                    var chunk = chunks.Current;
                    samples += chunk.Samples.Length;
                    tokens += chunk.PhonemeTokens;
                    await encoder.WriteAsync(chunk.Samples, cancellationToken);
                    if (streaming)
                    {
                        await target.FlushAsync(cancellationToken);
                        if (!firstAudioRecorded)
                        {
                            firstAudioRecorded = true;
                            metrics.FirstAudio(engine.Name, Stopwatch.GetElapsedTime(started).TotalSeconds);
                        }
                    }

                    hasAudio = await chunks.MoveNextAsync();
                }

                await encoder.CompleteAsync(cancellationToken);
            }

            if (buffer is not null)
            {
                response.ContentLength = buffer.Length;
                buffer.Position = 0;
                await buffer.CopyToAsync(response.Body, cancellationToken);
            }
            else if (sse is not null)
            {
                // Usage in the units the service has: phoneme tokens in, 25 ms audio frames out.
                var output = (int)(samples / 600);
                await SseAudioStream.WriteDoneAsync(response.Body, new SpeechUsage(tokens, output, tokens + output), cancellationToken);
            }

            var audioSeconds = (double)samples / AudioConstants.SampleRate;
            metrics.Completed(engine.Name, format.Name(), "ok", Stopwatch.GetElapsedTime(started).TotalSeconds, audioSeconds);
            LogSpoke(logger, engine.Name, format.Name(), audioSeconds, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            metrics.Completed(engine.Name, format.Name(), "cancelled", Stopwatch.GetElapsedTime(started).TotalSeconds, (double)samples / AudioConstants.SampleRate);
            LogCancelled(logger);
        }
        catch (Exception e) when (response.HasStarted)
        {
            // Headers and some audio are gone: a status can no longer be sent. Abort the connection so the client
            // sees a broken transfer, never a short file that looks complete.
            metrics.Completed(engine.Name, format.Name(), "failed", Stopwatch.GetElapsedTime(started).TotalSeconds, (double)samples / AudioConstants.SampleRate);
            LogFailedMidStream(logger, e);
            context.Abort();
        }
    }

    [LoggerMessage(EventId = 50, Level = LogLevel.Information, Message = "Spoke {Seconds:F2} s of {Format} audio with {Engine} in {Milliseconds:F0} ms")]
    private static partial void LogSpoke(ILogger logger, string engine, string format, double seconds, double milliseconds);

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "Client went away; synthesis cancelled")]
    private static partial void LogCancelled(ILogger logger);

    [LoggerMessage(EventId = 52, Level = LogLevel.Error, Message = "Synthesis failed after streaming began; connection aborted")]
    private static partial void LogFailedMidStream(ILogger logger, Exception exception);
}
