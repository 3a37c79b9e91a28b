namespace PatternTts.Service.Api.Contracts;

public sealed record HealthResponse(
    string Status,
    string Service,
    string Version,
    string Model,
    string Engine,
    int Port,
    string? Reason,
    string? Warning);
