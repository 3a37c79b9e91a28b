namespace PatternTts.Service.Api.Contracts;

public sealed record ModelDescription(
    string Id,
    string Object,
    long Created,
    string OwnedBy);

public sealed record ModelList(
    string Object,
    IReadOnlyList<ModelDescription> Data);

/// <summary><c>GET /v1/audio/models</c>, as Open WebUI asks the legacy container: <c>{"models":[{"id"}]}</c>.</summary>
public sealed record AudioModelList(IReadOnlyList<AudioModel> Models);

public sealed record AudioModel(string Id);
