
namespace PatternTts.Service.Api;

/// <summary>The legacy container's <c>/dev/*</c> endpoints: see the phonemes, speak phonemes, speak with word times.</summary>
public static class DevApi
{
    public static RouteGroupBuilder MapDevApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/dev").WithTags("Dev");
        if (!FeatureSwitch.IsOn(app.ServiceProvider.GetRequiredService<IOptions<TtsOptions>>().Value.EnableDevEndpoints,
                app.ServiceProvider.GetRequiredService<IHostEnvironment>()))
        {
            return api;
        }

        api.MapPost("/phonemize", PhonemizeAsync)
            .WithName("Phonemize")
            .Accepts<PhonemizeRequest>("application/json")
            .WithSummary("Shows the normalized text, Kokoro phonemes and token ids that a text becomes, and the model calls it makes.")
            .Produces<OpenAiErrorResponse>(StatusCodes.Status400BadRequest);
        api.MapPost("/generate_from_phonemes", GenerateFromPhonemesAsync)
            .WithName("GenerateFromPhonemes")
            .Accepts<GenerateFromPhonemesRequest>("application/json")
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
        PhonemizeRequest request, PhonemePreview preview, IOptions<TtsOptions> options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            throw ApiException.BadRequest("'text' must contain text to phonemize.", "text", "empty_input");
        }

        if (request.Text.Length > options.Value.MaxTextLength)
        {
            throw ApiException.BadRequest($"'text' is {request.Text.Length} characters; the limit is {options.Value.MaxTextLength}.", "text", "input_too_long");
        }

        var language = SpeechRequestReader.ReadLanguage(string.IsNullOrWhiteSpace(request.Language) ? "a" : request.Language, "language");
        var result = await preview.ReadAsync(request.Text, language, request.Stream ?? true, cancellationToken);
        return TypedResults.Json(
            new PhonemizeResponse(result.Phonemes, result.Tokens, result.NormalizedText, [.. result.Calls.Select(c => new PhonemizeChunk(c.Phonemes, c.Tokens))]),
            ServiceJsonContext.Readable.PhonemizeResponse);
    }

    internal static async Task GenerateFromPhonemesAsync(
        HttpContext context,
        GenerateFromPhonemesRequest request,
        KokoroEngine kokoro,
        VoiceStore voices,
        KokoroVocabulary vocabulary,
        SpeechResponse speech,
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
        var speed = (float)SpeechRequestReader.ReadSpeed(request.Speed);
        var voice = SpeechRequestReader.ResolveVoice(voices, request.Voice);

        var output = new SpeechOutput(new AudioEncoding(format), Stream: false, SpeechBody.Audio);
        await speech.SendAsync(context, new SpeechSource(kokoro.Name, kokoro.SpeakPhonemesAsync(phonemes, voice, speed, cancellationToken), phonemes.Length), output, cancellationToken);
    }

    internal static async Task CaptionedSpeechAsync(
        HttpContext context, SpeechRequestReader reader, EngineSelector engines, SpeechResponse speech, CancellationToken cancellationToken)
    {
        var request = await reader.ReadAsync(context.Request, cancellationToken);
        var engine = engines.Select(request.Model);
        var output = request.Output with { Body = SpeechBody.Captions };
        var source = new SpeechSource(engine.Name, engine.SynthesizeAsync(request.Job with { WordTimings = true }, cancellationToken), request.Job.Text.Length);
        await speech.SendAsync(context, source, output, cancellationToken);
    }
}
