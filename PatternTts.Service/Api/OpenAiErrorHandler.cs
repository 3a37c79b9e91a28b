using Microsoft.AspNetCore.Http.Metadata;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace PatternTts.Service.Api;

/// <summary>
/// The one place errors become responses: every 4xx/5xx body is OpenAI's <c>{"error":{...}}</c>, which is what
/// OpenAI SDK clients parse. Unexpected failures are logged and answered 500 without internals.
/// </summary>
internal sealed partial class OpenAiErrorHandler(IHostEnvironment environment, ILogger<OpenAiErrorHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted)
        {
            return false;
        }

        var error = Known(exception, environment.IsDevelopment()) ?? exception switch
        {
            // Minimal API body binding names the handler's parameter ("Failed to read parameter ..."): say what was wrong instead.
            BadHttpRequestException { InnerException: JsonException json } => ApiException.BadRequest(
                JsonErrors.Describe(json, RequestContract(context)), JsonErrors.Field(json), "invalid_type"),
            BadHttpRequestException e => new ApiException(e.StatusCode, e.Message, null, "bad_request"),
            _ => null,
        };

        if (error is null)
        {
            if (context.RequestAborted.IsCancellationRequested)
            {
                return true;
            }

            LogUnhandled(logger, exception);
            error = new ApiException(500, "The service failed to handle the request.", null, "internal_error");
        }
        else if (error.Status >= 500)
        {
            LogServerError(logger, error.Status, error.Message);
        }

        await WriteAsync(context, error, cancellationToken);
        return true;
    }

    /// <summary>The error a synthesis failure means to a client, wherever it surfaced (HTTP or the speech socket); null when unknown.</summary>
    public static ApiException? Known(Exception exception, bool development) => exception switch
    {
        ApiException api => api,
        EngineUnavailableException e => new ApiException(
            503, development ? e.Message : EngineUnavailableException.PublicMessage, "model", "model_not_ready"),
        SpeechTooLongException e => ApiException.BadRequest(e.Message, "input", e.Code),
        ResponseTooLargeException e => ApiException.BadRequest(e.Message, "stream", "response_too_large"),
        NothingToSpeakException e => ApiException.BadRequest(e.Message, "input", "nothing_to_speak"),
        SynthesisBusyException e => new ApiException(StatusCodes.Status429TooManyRequests, e.Message, null, "rate_limit_exceeded"),
        UnsupportedLanguageException e => ApiException.BadRequest(e.Message, "voice", "unsupported_language"),
        SpeechTextFormatException e => ApiException.BadRequest(e.Message, "input", "invalid_input_markup"),
        _ => null,
    };

    public static async Task WriteAsync(HttpContext context, ApiException error, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = error.Status;
        // Set here, not where the error is raised: the exception handler clears the response headers first.
        if (error.Status is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status429TooManyRequests)
        {
            context.Response.Headers.RetryAfter = error.Status == StatusCodes.Status429TooManyRequests ? "1" : "5";
        }

        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, error.ToResponse(), ServiceJsonContext.Readable.OpenAiErrorResponse, cancellationToken);
    }

    /// <summary>Bodiless framework answers (404 unknown route, 405 wrong method) get the same shape.</summary>
    public static Task WriteStatusCodePageAsync(StatusCodeContext context)
    {
        var status = context.HttpContext.Response.StatusCode;
        var message = status switch
        {
            404 => $"No route for {context.HttpContext.Request.Method} {context.HttpContext.Request.Path}.",
            405 => $"Method {context.HttpContext.Request.Method} is not allowed on {context.HttpContext.Request.Path}.",
            415 => $"Content-Type must be application/json; got '{context.HttpContext.Request.ContentType ?? "none"}'.",
            _ => $"The request failed with status {status}.",
        };
        var code = status switch
        {
            404 => "not_found",
            405 => "method_not_allowed",
            415 => "unsupported_media_type",
            _ => null,
        };
        return WriteAsync(context.HttpContext, new ApiException(status, message, null, code), context.HttpContext.RequestAborted);
    }

    /// <summary>The body type the failed endpoint accepts (the exception handler has cleared the endpoint from the context).</summary>
    private static Type? RequestContract(HttpContext context) =>
        context.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata
            .GetOrderedMetadata<IAcceptsMetadata>().Select(m => m.RequestType).FirstOrDefault(t => t is not null);

    [LoggerMessage(EventId = 60, Level = LogLevel.Error, Message = "Unhandled error")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "Answered {Status}: {Message}")]
    private static partial void LogServerError(ILogger logger, int status, string message);
}
