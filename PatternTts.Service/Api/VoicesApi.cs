using System.Text.Json;

namespace PatternTts.Service.Api;

public static class VoicesApi
{
    public static RouteGroupBuilder MapVoicesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/audio").WithTags("Voices");
        api.MapGet("/voices", ListVoices)
            .WithName("ListVoices")
            .WithSummary("Lists voices; ?legacy=true returns the plain list of ids older clients expect.");
        api.MapPost("/voices/combine", CombineAsync)
            .WithName("CombineVoices")
            .WithSummary("Mixes voices (body \"a+b\", \"a(2)+b(1)\", \"a-b\" or [\"a\",\"b\"]) and returns the raw voice file.")
            .Accepts<string>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces<OpenAiErrorResponse>(StatusCodes.Status400BadRequest);
        return api;
    }

    public const string VoiceNameHeader = "X-Voice-Name";
    public const string VoiceSavedHeader = "X-Voice-Saved";

    /// <summary>The saved mix's stable id (<c>voice_…</c>), usable as <c>"voice": {"id": "…"}</c> on every replica.</summary>
    public const string VoiceIdHeader = "X-Voice-Id";

    /// <summary>
    /// The mix as a kokoro-js voice file (510×256 float32 LE). It is kept for use by name only when the operator
    /// set <see cref="TtsOptions.AllowVoiceSaving"/>; the response says under which name and whether it was.
    /// </summary>
    /// <summary>A voice expression is at most <see cref="VoiceStore.MaxExpressionLength"/> characters; this is room for its JSON.</summary>
    public const long MaxCombineBodyBytes = 16 * 1024;

    internal static async Task<IResult> CombineAsync(HttpContext context, VoiceStore store, CancellationToken cancellationToken)
    {
        SpeechRequestReader.LimitBody(context.Request, MaxCombineBodyBytes);

        string expression;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: cancellationToken);
            expression = document.RootElement.ValueKind switch
            {
                JsonValueKind.String => document.RootElement.GetString()!,
                JsonValueKind.Array when document.RootElement.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
                    string.Join('+', document.RootElement.EnumerateArray().Select(e => e.GetString()!.Trim())),
                _ => throw ApiException.BadRequest("The body must be a voice expression string (\"a+b\") or a list of voice names.", "voices", "invalid_type"),
            };
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"The request body is not valid JSON: {e.Message}", "voices", "invalid_json");
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw SpeechRequestReader.BodyUnreadable(e);
        }
        catch (InvalidOperationException)
        {
            // A string holding a lone surrogate is valid JSON that no .NET string can hold.
            throw ApiException.BadRequest("A voice name holds an invalid character (a lone UTF-16 surrogate).", "voices", "invalid_json");
        }

        if (string.IsNullOrWhiteSpace(expression))
        {
            throw ApiException.BadRequest("Name at least one voice to combine.", "voices", "empty_input");
        }

        var voice = SpeechRequestReader.ResolveVoice(store, expression, "voices");
        var name = VoiceStore.MixName(expression);
        var saved = await store.SaveAsync(name, voice, cancellationToken) is not null;
        if (store.SaveRecipe(expression) is { } id)
        {
            context.Response.Headers[VoiceIdHeader] = id.Id;
        }

        context.Response.Headers[VoiceNameHeader] = name;
        context.Response.Headers[VoiceSavedHeader] = saved ? "true" : "false";
        return TypedResults.File(voice.ToBytes(), "application/octet-stream", name + ".bin");
    }

    internal static IResult ListVoices(VoiceStore store, bool? legacy)
    {
        var available = store.AvailableVoices;
        if (legacy == true)
        {
            return TypedResults.Json<IReadOnlyList<string>>(available, ServiceJsonContext.Readable.IReadOnlyListString);
        }

        var voices = available.Select(id => Describe(id, id, null)).ToList();
        voices.AddRange(VoiceCatalog.Aliases
            .Where(alias => available.Contains(alias.Value))
            .Select(alias => Describe(alias.Key, alias.Value, alias.Value)));
        voices.AddRange(store.SavedVoices.Select(DescribeSaved));
        return TypedResults.Json(new VoiceList(voices), ServiceJsonContext.Readable.VoiceList);
    }

    /// <summary>A saved mix: its id, its recipe as name and recipe, the language of its first voice.</summary>
    private static VoiceDescription DescribeSaved(SavedVoice saved)
    {
        var first = VoiceStore.Canonical(new string([.. saved.Recipe.Trim().TakeWhile(c => char.IsAsciiLetterOrDigit(c) || c == '_')]));
        var language = first.Length > 0 && KokoroLanguage.All.TryGetValue(first[0], out var l) ? l.Name : "unknown";
        return new VoiceDescription(saved.Id, saved.Recipe, language, "mix", Recipe: saved.Recipe);
    }

    private static VoiceDescription Describe(string id, string voice, string? aliasOf)
    {
        var language = KokoroLanguage.All.TryGetValue(voice[0], out var l) ? l.Name : "unknown";
        var name = aliasOf is null
            ? char.ToUpperInvariant(voice[3]) + voice[4..]
            : char.ToUpperInvariant(id[0]) + id[1..];
        return new VoiceDescription(id, name, language, VoiceCatalog.Gender(voice), aliasOf);
    }
}
