using System.Globalization;

namespace PatternTts.Service.Api.Streaming;

/// <summary>What a synthesis response's body is: encoded audio, Server-Sent Events, or audio with captions.</summary>
public enum SpeechBody
{
    Audio,
    Sse,
    Captions,
}

/// <summary>How one response carries its audio.</summary>
/// <param name="Stream">Send each chunk as it is made (else one whole body with its exact length).</param>
/// <param name="DownloadFormat">Also keep the whole audio as a download in this format (<c>return_download_link</c>).</param>
/// <param name="Timestamps">With SSE, also send the words' times, placed on the input's own words.</param>
public sealed record SpeechOutput(AudioEncoding Encoding, bool Stream, SpeechBody Body, AudioFormat? DownloadFormat = null, bool Timestamps = false)
{
    public AudioFormat Format => Encoding.Format;
}

/// <summary>Where a response's audio comes from: an engine's chunks, and how long the input was (for the scheduler's lanes).</summary>
/// <param name="Cache">Where the whole response may already be, or be kept once made; null when it is not cacheable.</param>
/// <param name="Words">Places the spoken words on the input's words, for SSE timestamps; null when not asked for.</param>
public sealed record SpeechSource(string Engine, IAsyncEnumerable<SpeechChunk> Chunks, int InputCharacters, SpeechCacheKey? Cache = null, InputWordMapper? Words = null);

/// <summary>
/// The one way a synthesis becomes an HTTP response, for every endpoint that speaks. It owns, once: the
/// scheduling of its model calls, pulling the first chunk before any header (so an early failure still gets a proper error
/// status), the headers, the outcome and its metrics, and the policy for a failure after streaming began (abort
/// the connection, so a client never mistakes a cut-off file for a whole one). A <see cref="SpeechSink"/> decides
/// only how chunks are written.
/// </summary>
public sealed partial class SpeechResponse(
    SynthesisScheduler scheduler,
    IAudioEncoderFactory encoders,
    IOptions<TtsOptions> options,
    TtsMetrics metrics,
    DownloadStore downloads,
    SpeechCache cache,
    ILogger<SpeechResponse> logger)
{
    public const string EngineHeader = "X-Tts-Engine";

    /// <summary><c>hit</c> or <c>miss</c> on a cacheable response.</summary>
    public const string CacheHeader = "X-Cache";

    /// <summary>Where the download of this response will be (the legacy container's header).</summary>
    public const string DownloadPathHeader = "X-Download-Path";

    public async Task SendAsync(HttpContext context, SpeechSource source, SpeechOutput output, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var engine = source.Engine;
        var response = context.Response;
        if (source.Cache is { } key && await TrySendCachedAsync(context, key, output, cancellationToken))
        {
            return;
        }

        var synthesis = scheduler.RunAsync(source.Chunks, new SynthesisDemand(source.InputCharacters, output.Stream), cancellationToken);
        await using var chunks = synthesis.GetAsyncEnumerator(cancellationToken);
        var hasAudio = await chunks.MoveNextAsync();
        while (hasAudio && chunks.Current.Samples.Length == 0)
        {
            hasAudio = await chunks.MoveNextAsync();
        }

        if (!hasAudio)
        {
            throw new NothingToSpeakException();
        }

        SetHeaders(response, engine, source.Cache, "miss");
        // What the first audio waited for in the model, so a client can tell the model's time from the service's.
        response.Headers["Server-Timing"] = string.Create(CultureInfo.InvariantCulture, $"model;dur={chunks.Current.ModelTime.TotalMilliseconds:F1};desc=\"first model call\"");
        CaptureStream? capture = null;
        if (source.Cache is not null)
        {
            response.Body = capture = new CaptureStream(response.Body, cache.MaxEntryBytes);
        }
        if (output.Stream)
        {
            response.Headers["X-Accel-Buffering"] = "no";
        }

        var format = output.Format.Name();
        var totals = new SpeechTotals();
        var outcome = "failed";
        await using var download = output.DownloadFormat is { } downloadFormat ? downloads.Create(downloadFormat) : null;
        await using var downloadEncoder = download is null ? null : encoders.Create(output.Encoding.As(output.DownloadFormat!.Value), download.Open());
        if (download is not null)
        {
            response.Headers[DownloadPathHeader] = download.Link;
        }

        try
        {
            var settings = options.Value;
            await using (var sink = SpeechSink.Create(output, response, encoders, settings.MaxBufferedResponseBytes, source.Words))
            {
                while (hasAudio)
                {
                    totals.Add(chunks.Current);
                    if (totals.AudioSeconds > settings.MaxAudioSeconds)
                    {
                        // The estimate let it through; the limit still holds.
                        throw new SpeechTooLongException(
                            $"The audio passed the limit of {settings.MaxAudioSeconds} s per request (TTS_MAX_AUDIO_SECONDS).", "audio_too_long");
                    }

                    await sink.WriteAsync(chunks.Current, cancellationToken);
                    if (downloadEncoder is not null)
                    {
                        await downloadEncoder.WriteAsync(chunks.Current.Samples, cancellationToken);
                    }

                    if (output.Stream && totals.Chunks == 1)
                    {
                        metrics.FirstAudio(engine, Stopwatch.GetElapsedTime(started).TotalSeconds);
                    }

                    hasAudio = await chunks.MoveNextAsync();
                }

                await sink.CompleteAsync(totals, cancellationToken);
            }

            if (downloadEncoder is not null)
            {
                // The file is published only whole: a failed or cancelled synthesis leaves no download behind.
                await downloadEncoder.CompleteAsync(cancellationToken);
                await download!.CompleteAsync();
            }

            if (capture?.Captured is { } body)
            {
                var entry = new CachedSpeech(response.ContentType ?? output.Format.ContentType(), response.Headers.ContentDisposition.ToString(), engine, totals.AudioSeconds, body);
                await cache.SetAsync(source.Cache!, entry, cancellationToken);
            }

            outcome = "ok";
            LogSpoke(logger, engine, format, totals.AudioSeconds, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = "cancelled";
            LogCancelled(logger);
        }
        catch (Exception e) when (response.HasStarted)
        {
            // Headers and some audio are gone: a status can no longer be sent.
            LogFailedMidStream(logger, e);
            context.Abort();
        }
        finally
        {
            metrics.Completed(engine, format, outcome, Stopwatch.GetElapsedTime(started).TotalSeconds, totals.AudioSeconds, totals.ModelTime.TotalSeconds);
        }
    }

    /// <summary>Answers from the cache: 304 when the client holds this very audio, the entry when the cache has it.</summary>
    private async Task<bool> TrySendCachedAsync(HttpContext context, SpeechCacheKey key, SpeechOutput output, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var response = context.Response;
        if (context.Request.Headers.IfNoneMatch.Any(tags => tags is not null && tags.Split(',', StringSplitOptions.TrimEntries).Contains(key.ETag)))
        {
            cache.Served(0);
            response.StatusCode = StatusCodes.Status304NotModified;
            response.Headers.ETag = key.ETag;
            response.Headers[CacheHeader] = "hit";
            return true;
        }

        if (await cache.GetAsync(key, cancellationToken) is not { } hit)
        {
            return false;
        }

        SetHeaders(response, hit.Engine, key, "hit");
        response.ContentType = hit.ContentType;
        if (hit.ContentDisposition.Length > 0)
        {
            response.Headers.ContentDisposition = hit.ContentDisposition;
        }

        response.ContentLength = hit.Body.Length;
        await response.Body.WriteAsync(hit.Body, cancellationToken);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (output.Stream)
        {
            metrics.FirstAudio(hit.Engine, seconds);
        }

        metrics.Completed(hit.Engine, output.Format.Name(), "ok", seconds, hit.AudioSeconds);
        return true;
    }

    /// <summary>The headers every speech answer carries, and the cache's when it is cacheable.</summary>
    private static void SetHeaders(HttpResponse response, string engine, SpeechCacheKey? key, string cacheOutcome)
    {
        response.Headers[EngineHeader] = engine;
        response.Headers.CacheControl = "no-cache";
        if (key is not null)
        {
            response.Headers.ETag = key.ETag;
            response.Headers[CacheHeader] = cacheOutcome;
        }
    }

    [LoggerMessage(EventId = 50, Level = LogLevel.Information, Message = "Spoke {Seconds:F2} s of {Format} audio with {Engine} in {Milliseconds:F0} ms")]
    private static partial void LogSpoke(ILogger logger, string engine, string format, double seconds, double milliseconds);

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "Client went away; synthesis cancelled")]
    private static partial void LogCancelled(ILogger logger);

    [LoggerMessage(EventId = 52, Level = LogLevel.Error, Message = "Synthesis failed after streaming began; connection aborted")]
    private static partial void LogFailedMidStream(ILogger logger, Exception exception);
}

/// <summary>What a response has sent so far: chunks, samples and the phoneme tokens spoken.</summary>
public sealed class SpeechTotals
{
    public int Chunks { get; private set; }

    public long Samples { get; private set; }

    public int PhonemeTokens { get; private set; }

    /// <summary>Time the model calls of the chunks so far took.</summary>
    public TimeSpan ModelTime { get; private set; }

    public double AudioSeconds => (double)Samples / AudioConstants.SampleRate;

    public void Add(SpeechChunk chunk)
    {
        Chunks++;
        Samples += chunk.Samples.Length;
        PhonemeTokens += chunk.PhonemeTokens;
        ModelTime += chunk.ModelTime;
    }
}
