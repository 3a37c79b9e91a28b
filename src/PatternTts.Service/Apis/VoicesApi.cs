using PatternTts.Service.Model;
using PatternTts.Service.Phonemes;
using PatternTts.Service.Voices;

namespace PatternTts.Service.Apis;

public static class VoicesApi
{
    public static RouteGroupBuilder MapVoicesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/audio").WithTags("Voices");
        api.MapGet("/voices", ListVoices)
            .WithName("ListVoices")
            .WithSummary("Lists voices; ?legacy=true returns the plain list of ids older clients expect.");
        return api;
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
        return TypedResults.Json(new VoiceList(voices), ServiceJsonContext.Readable.VoiceList);
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
