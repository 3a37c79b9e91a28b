namespace PatternTts.Service.Api.Contracts;

/// <summary>OpenAI's error body: all four keys are always present, param and code may be null.</summary>
public sealed record OpenAiError(
    string Message,
    string Type,
    string? Param,
    string? Code);

public sealed record OpenAiErrorResponse(OpenAiError Error);

/// <summary>A request the API refuses, carried to the single place that writes error responses.</summary>
public sealed class ApiException(int status, string message, string? param = null, string? code = null, string? type = null)
    : Exception(message)
{
    public int Status { get; } = status;

    public string? Param { get; } = param;

    public string? Code { get; } = code;

    public string Type { get; } = type ?? DefaultType(status);

    public OpenAiErrorResponse ToResponse() => new(new OpenAiError(Message, Type, Param, Code));

    public static string DefaultType(int status) => status switch
    {
        429 => "rate_limit_error",
        >= 500 => "server_error",
        401 or 403 => "authentication_error",
        _ => "invalid_request_error",
    };

    public static ApiException BadRequest(string message, string? param, string code) => new(400, message, param, code);
}
