namespace PatternTts.Router.Api.Contracts;

/// <summary>OpenAI's error envelope; all four keys are always written, null or not.</summary>
public sealed record OpenAiErrorResponse(OpenAiError Error)
{
    public static OpenAiErrorResponse Create(string message, string type, string? code = null, string? param = null) =>
        new(new OpenAiError(message, type, param, code));
}

public sealed record OpenAiError(string Message, string Type, string? Param, string? Code);
