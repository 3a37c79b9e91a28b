namespace PatternTts.Service.Api;

public static class SpeechApi
{
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
        HttpContext context, SpeechRequestReader reader, EngineSelector engines, SpeechCache cache, SpeechResponse speech, CancellationToken cancellationToken)
    {
        var request = await reader.ReadAsync(context.Request, cancellationToken);
        var engine = engines.Select(request.Model);
        var source = new SpeechSource(
            engine.Name, engine.SynthesizeAsync(request.Job, cancellationToken), request.Job.Text.Length, cache.KeyFor(request.Job, request.Output, engine),
            request.Output.Timestamps ? new InputWordMapper(request.Job.Text) : null);
        await speech.SendAsync(context, source, request.Output, cancellationToken);
    }
}
