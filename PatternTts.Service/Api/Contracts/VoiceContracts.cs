namespace PatternTts.Service.Api.Contracts;

public sealed record VoiceDescription(
    string Id,
    string Name,
    string Language,
    string Gender,
    string? AliasOf = null,
    string? Recipe = null);

public sealed record VoiceList(IReadOnlyList<VoiceDescription> Voices);
