namespace PatternTts.Router.Proxy;

/// <summary>Writes the router's own errors in OpenAI's shape, which the gateway and the OpenAI SDKs parse.</summary>
internal static class RouterErrors
{
    public const string InvalidRequest = "invalid_request_error";
    public const string Authentication = "authentication_error";
    public const string ServerError = "server_error";

    public static Task WriteAsync(HttpContext context, int statusCode, string message, string type, string? code = null, string? param = null)
    {
        context.Response.StatusCode = statusCode;
        return context.Response.WriteAsJsonAsync(OpenAiErrorResponse.Create(message, type, code, param), RouterJsonContext.Default.OpenAiErrorResponse,
            contentType: "application/json", cancellationToken: context.RequestAborted);
    }
}
