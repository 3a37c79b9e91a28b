namespace PatternTts.Service.Api.Contracts;

public sealed record ModelDescription(
    string Id,
    string Object,
    long Created,
    string OwnedBy);

public sealed record ModelList(
    string Object,
    IReadOnlyList<ModelDescription> Data);
