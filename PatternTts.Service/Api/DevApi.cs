using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PatternTts.Service.Api;

/// <summary>The legacy container's <c>/dev/*</c> endpoints: see the phonemes, speak phonemes, speak with word times.</summary>
public static partial class DevApi
{
    public static RouteGroupBuilder MapDevApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/dev").WithTags("Dev");
        if (!app.ServiceProvider.GetRequiredService<IOptions<TtsOptions>>().Value.EnableDevEndpoints)
        {
            return api;
        }

        api.MapPost("/phonemize", PhonemizeAsync)
            .WithName("Phonemize")
            .WithSummary("Shows the normalized text, Kokoro phonemes and token ids that a text becomes.")
            .Produces<OpenAiErrorResponse>(StatusCodes.Status400BadRequest);
        api.MapPost("/generate_from_phonemes", GenerateFromPhonemesAsync)
            .WithName("GenerateFromPhonemes")
            .WithSummary("Speaks Kokoro phonemes as given (needs the Kokoro model).")
            .Produces(StatusCodes.Status200OK, contentType: "audio/wav")
            .Produces<OpenAiErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status503ServiceUnavailable);
        api.MapPost("/captioned_speech", CaptionedSpeechAsync)
            .WithName("CaptionedSpeech")
            .WithSummary("Speech with word timestamps; streams one JSON object per chunk (NDJSON) by default.")
            .Accepts<SpeechRequest>("application/json")
            .Produces<CaptionedSpeechResponse>(StatusCodes.Status200OK)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    internal static async Task<IResult> PhonemizeAsync(
        PhonemizeRequest request,
        SpeechTextPreparer preparer,
        IPhonemizer phonemizer,
        KokoroVocabulary vocabulary,
        IOptions<TtsOptions> options,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            throw ApiException.BadRequest("'text' must contain text to phonemize.", "text", "empty_input");
        }

        if (request.Text.Length > options.Value.MaxTextLength)
        {
            throw ApiException.BadRequest($"'text' is {request.Text.Length} characters; the limit is {options.Value.MaxTextLength}.", "text", "input_too_long");
        }

        var language = ReadLanguage(request.Language);
        var phonemes = new List<string>();
        var spoken = new StringBuilder();
        foreach (var segment in preparer.Prepare(request.Text, NormalizationOptions.Default))
        {
            switch (segment)
            {
                case TextSegment.Text words:
                    spoken.Append(words.Value);
                    phonemes.Add(vocabulary.Filter(await phonemizer.PhonemizeAsync(words.Value, language, cancellationToken)));
                    break;
                case TextSegment.Phonemes given:
                    spoken.Append(given.DisplayWord);
                    phonemes.Add(vocabulary.Filter(given.Ipa));
                    break;
                case TextSegment.Pause:
                    spoken.Append(' ');
                    break;
            }
        }

        // Pieces are joined with a space, as the chunk planner joins them for the model.
        var joined = string.Join(' ', phonemes.Select(p => p.Trim()).Where(p => p.Length > 0));
        var normalized = WhiteSpace().Replace(spoken.ToString(), " ").Trim();
        return TypedResults.Json(new PhonemizeResponse(joined, vocabulary.Encode(joined), normalized), ServiceJsonContext.Readable.PhonemizeResponse);
    }

    internal static async Task<IResult> GenerateFromPhonemesAsync(
        GenerateFromPhonemesRequest request,
        KokoroModelHost host,
        VoiceStore voices,
        KokoroVocabulary vocabulary,
        SynthesisLimiter limiter,
        IAudioEncoderFactory encoders,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Phonemes))
        {
            throw ApiException.BadRequest("'phonemes' must contain Kokoro phonemes.", "phonemes", "empty_input");
        }

        var phonemes = vocabulary.Filter(request.Phonemes).Trim();
        if (phonemes.Length == 0)
        {
            throw ApiException.BadRequest("'phonemes' holds no symbol of the Kokoro phoneme vocabulary.", "phonemes", "invalid_phonemes");
        }

        var format = SpeechRequestReader.ReadFormat(request.ResponseFormat ?? "wav");
        var speed = SpeechRequestReader.ReadSpeed(request.Speed);
        var voice = SpeechRequestReader.ResolveVoice(voices, request.Voice);

        // espeak-ng cannot read Kokoro phonemes, so there is no fallback here.
        var model = host.Model ?? throw new ApiException(
            StatusCodes.Status503ServiceUnavailable,
            $"Phoneme input needs the Kokoro model, which is not loaded: {host.Reason ?? "unknown reason"}",
            "model",
            "model_not_ready");

        using var lease = await limiter.AcquireAsync(cancellationToken);

        var buffer = new MemoryStream();
        await using (var encoder = encoders.Create(format, buffer))
        {
            foreach (var piece in SplitPhonemes(phonemes, IKokoroModel.MaxPhonemeTokens))
            {
                var tokens = vocabulary.Encode(piece);
                var output = await model.RunAsync(tokens, voice.StyleFor(tokens.Count), (float)speed, cancellationToken);
                await encoder.WriteAsync(ChunkShaper.Shape(output.Audio, BoundaryAt(piece), (float)speed, 1f), cancellationToken);
            }

            await encoder.CompleteAsync(cancellationToken);
        }

        return TypedResults.File(buffer.ToArray(), format.ContentType(), $"speech.{format.Name()}");
    }

    internal static async Task CaptionedSpeechAsync(
        HttpContext context,
        SpeechRequestReader reader,
        EngineSelector engines,
        SynthesisLimiter limiter,
        IAudioEncoderFactory encoders,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var request = await reader.ReadAsync(context.Request, cancellationToken);
        var engine = engines.Select(request.Model);

        using var lease = await limiter.AcquireAsync(cancellationToken);

        var job = request.Job with { WordTimings = true };
        await using var chunks = engine.SynthesizeAsync(job, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var hasAudio = await chunks.MoveNextAsync();

        var response = context.Response;
        var format = request.Format;
        response.Headers[SpeechApi.EngineHeader] = engine.Name;
        response.Headers.CacheControl = "no-cache";
        var streaming = request.Stream || request.Sse;
        response.ContentType = streaming ? "application/x-ndjson" : "application/json";
        if (streaming)
        {
            response.Headers["X-Accel-Buffering"] = "no";
        }

        // Streamed lines each carry the bytes the encoder produced for their chunk, so the decoded lines joined
        // in order are one valid file; a whole response gets a seekable buffer for exact container sizes.
        var capture = new CaptureStream();
        var whole = streaming ? null : new MemoryStream();
        var timestamps = new List<CaptionTimestamp>();
        var sources = new HashSet<string>();
        var offset = 0L;
        try
        {
            await using (var encoder = encoders.Create(format, (Stream?)whole ?? capture))
            {
                while (hasAudio)
                {
                    var chunk = chunks.Current;
                    await encoder.WriteAsync(chunk.Samples, cancellationToken);
                    var words = Place(chunk, offset, timestamps.Count > 0 ? timestamps[^1].EndTime : 0);
                    offset += chunk.Samples.Length;
                    if (chunk.WordSource is { } source && words.Count > 0)
                    {
                        sources.Add(source);
                    }

                    timestamps.AddRange(words);
                    if (streaming)
                    {
                        await WriteLineAsync(response.Body, new CaptionedSpeechResponse(
                            Convert.ToBase64String(capture.Take()), format.Name(), words, words.Count > 0 ? chunk.WordSource : null), cancellationToken);
                    }

                    hasAudio = await chunks.MoveNextAsync();
                }

                await encoder.CompleteAsync(cancellationToken);
            }

            if (streaming)
            {
                var trailer = capture.Take();
                if (trailer.Length > 0)
                {
                    await WriteLineAsync(response.Body, new CaptionedSpeechResponse(Convert.ToBase64String(trailer), format.Name(), [], null), cancellationToken);
                }
            }
            else
            {
                // Mixed sources happen only when some chunks lacked usable durations: report the weaker one.
                var overall = sources.Count switch
                {
                    0 => null,
                    1 => sources.Single(),
                    _ => WordTimingSources.Estimated,
                };
                await JsonSerializer.SerializeAsync(
                    response.Body,
                    new CaptionedSpeechResponse(Convert.ToBase64String(whole!.ToArray()), format.Name(), timestamps, overall),
                    ServiceJsonContext.Readable.CaptionedSpeechResponse,
                    cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogCancelled(loggerFactory.CreateLogger(typeof(DevApi)));
        }
        catch (Exception e) when (response.HasStarted)
        {
            LogFailedMidStream(loggerFactory.CreateLogger(typeof(DevApi)), e);
            context.Abort();
        }
    }

    /// <summary>
    /// Cuts phonemes into model calls of at most <paramref name="limit"/> symbols: at the last space before the
    /// limit, else after the last punctuation, else hard at the limit (one unbroken run longer than a call).
    /// </summary>
    internal static IEnumerable<string> SplitPhonemes(string phonemes, int limit)
    {
        var runes = phonemes.EnumerateRunes().ToArray();
        var start = 0;
        while (start < runes.Length)
        {
            var end = Math.Min(runes.Length, start + limit);
            var next = end;
            if (end < runes.Length && runes[end].Value != ' ')
            {
                var space = Array.FindLastIndex(runes, end - 1, end - start, r => r.Value == ' ');
                var mark = Array.FindLastIndex(runes, end - 1, end - start, r => Rune.IsPunctuation(r));
                if (space > start)
                {
                    (end, next) = (space, space + 1);
                }
                else if (mark >= start)
                {
                    (end, next) = (mark + 1, mark + 1);
                }
            }

            var piece = string.Concat(runes[start..end].Select(r => r.ToString())).Trim();
            if (piece.Length > 0)
            {
                yield return piece;
            }

            start = next;
        }
    }

    private static KokoroLanguage ReadLanguage(string? code)
    {
        var value = string.IsNullOrWhiteSpace(code) ? "a" : code;
        if (!KokoroLanguage.TryGet(value, out var language))
        {
            throw ApiException.BadRequest($"language '{value}' is not a Kokoro language (a, b, e, f, h, i, p, or a tag such as en-us).", "language", "invalid_language");
        }

        if (!language.IsSupported)
        {
            throw ApiException.BadRequest(new UnsupportedLanguageException(language).Message, "language", "unsupported_language");
        }

        return language;
    }

    private static Boundary BoundaryAt(string phonemes) => phonemes[^1] switch
    {
        '.' or '!' or '?' or '…' => Boundary.Sentence,
        ',' or ';' or ':' or '—' => Boundary.Clause,
        _ => Boundary.None,
    };

    /// <summary>A chunk's word times moved to the response clock, never before the previous word's end.</summary>
    private static List<CaptionTimestamp> Place(SpeechChunk chunk, long offset, double previousEnd)
    {
        var start = (double)offset / AudioConstants.SampleRate;
        var placed = new List<CaptionTimestamp>(chunk.Words?.Count ?? 0);
        foreach (var word in chunk.Words ?? [])
        {
            var from = Math.Max(previousEnd, Math.Round(start + word.StartTime, 3));
            var to = Math.Max(from, Math.Round(start + word.EndTime, 3));
            placed.Add(new CaptionTimestamp(word.Word, from, to));
            previousEnd = to;
        }

        return placed;
    }

    private static async Task WriteLineAsync(Stream body, CaptionedSpeechResponse line, CancellationToken cancellationToken)
    {
        await JsonSerializer.SerializeAsync(body, line, ServiceJsonContext.Readable.CaptionedSpeechResponse, cancellationToken);
        await body.WriteAsync("\n"u8.ToArray(), cancellationToken);
        await body.FlushAsync(cancellationToken);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [LoggerMessage(EventId = 70, Level = LogLevel.Information, Message = "Client went away; captioned synthesis cancelled")]
    private static partial void LogCancelled(ILogger logger);

    [LoggerMessage(EventId = 71, Level = LogLevel.Error, Message = "Captioned synthesis failed after streaming began; connection aborted")]
    private static partial void LogFailedMidStream(ILogger logger, Exception exception);

    /// <summary>A write-only, non-seekable buffer: encoders treat it as a live stream, and each chunk's bytes are taken out.</summary>
    private sealed class CaptureStream : WriteOnlyStream
    {
        private readonly MemoryStream _pending = new();

        public byte[] Take()
        {
            var bytes = _pending.ToArray();
            _pending.SetLength(0);
            return bytes;
        }

        public override void Write(byte[] buffer, int offset, int count) => _pending.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => _pending.Write(buffer);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _pending.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _pending.Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
