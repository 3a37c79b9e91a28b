namespace PatternTts.Service.Api;

public static class ModelsApi
{
    // Fixed so listings are stable between restarts (OpenAI returns creation times; clients only display them).
    private const long Created = 1735689600;

    public static RouteGroupBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/models").WithTags("Models");
        api.MapGet("/", ListModels).WithName("ListModels").WithSummary("The model ids /v1/audio/speech accepts, and what serves them.");
        api.MapGet("/{id}", GetModel).WithName("GetModel");
        app.MapGet("/v1/audio/models", ListAudioModels).WithTags("Models").WithName("ListAudioModels")
            .WithSummary("The same model ids in the legacy container's shape, {\"models\":[{\"id\"}]}.");
        return api;
    }

    internal static IResult ListAudioModels() =>
        TypedResults.Json(new AudioModelList([.. OpenAiModelIds.All.Select(id => new AudioModel(id))]), ServiceJsonContext.Readable.AudioModelList);

    internal static IResult ListModels(EngineSelector engines) =>
        TypedResults.Json(new ModelList("list", [.. OpenAiModelIds.All.Select(id => Describe(id, engines.Status))]), ServiceJsonContext.Readable.ModelList);

    internal static IResult GetModel(string id, EngineSelector engines)
    {
        var known = OpenAiModelIds.All.FirstOrDefault(m => m.Equals(id, StringComparison.OrdinalIgnoreCase));
        if (known is null)
        {
            throw new ApiException(404, $"Model '{id}' does not exist.", "model", "model_not_found");
        }

        return TypedResults.Json(Describe(known, engines.Status), ServiceJsonContext.Readable.ModelDescription);
    }

    // owned_by says which engine answers the id right now, so a client can tell Kokoro from the robot voice.
    private static ModelDescription Describe(string id, EngineStatus status) =>
        new(id, "model", Created, id == EngineNames.Espeak ? "pattern-tts:espeak-ng" : $"pattern-tts:{(status.Ready ? status.Engine : "unavailable")}");
}
