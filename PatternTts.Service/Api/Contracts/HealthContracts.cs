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

/// <summary><c>GET /v1/test</c>: how Home Assistant's wyoming_openai bridge recognises a Kokoro-FastAPI server.</summary>
public sealed record LegacyTestResponse(string Status);
