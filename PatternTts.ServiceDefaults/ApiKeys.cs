using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Optional bearer keys for the API paths, shared by the service and the router. With no key configured every call
/// passes (the default). With keys, a call to a protected path needs one of them (401 in OpenAI's error shape
/// otherwise); keys are compared in constant time; a client's failed attempts are rate-limited per address (429
/// with Retry-After), so keys cannot be guessed quickly. Health and metrics paths are never protected.
/// </summary>
public static class ApiKeys
{
    /// <summary>Failed attempts one client address may make per window before it is refused without a check.</summary>
    public const int FailuresPerWindow = 10;

    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(1);

    /// <summary>The keys of a comma-separated setting, blanks dropped.</summary>
    public static IReadOnlyList<string> Parse(string? setting) =>
        (setting ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The bearer token of the request, or null when it carries none.</summary>
    public static string? Bearer(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }

    /// <summary>Compared in constant time, so the time taken tells nothing about the key.</summary>
    public static bool Matches(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    /// <summary>Counts failed attempts per client address: <see cref="FailuresPerWindow"/> per <see cref="FailureWindow"/>.</summary>
    public static PartitionedRateLimiter<IPAddress> CreateFailureLimiter() =>
        PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(
            address, _ => new FixedWindowRateLimiterOptions { PermitLimit = FailuresPerWindow, Window = FailureWindow, QueueLimit = 0 }));

    /// <summary>Requires one of <paramref name="keys"/> on the paths <paramref name="isProtected"/> selects; does nothing without keys.</summary>
    public static IApplicationBuilder UseApiKeys(this IApplicationBuilder app, IReadOnlyList<string> keys, Func<PathString, bool> isProtected)
    {
        if (keys.Count == 0)
        {
            return app;
        }

        var failures = CreateFailureLimiter();

        return app.Use(async (context, next) =>
        {
            if (!isProtected(context.Request.Path) || HealthEndpoints.IsInfrastructurePath(context.Request.Path))
            {
                await next(context);
                return;
            }

            var client = context.Connection.RemoteIpAddress ?? IPAddress.None;
            if (failures.GetStatistics(client)?.CurrentAvailablePermits == 0)
            {
                context.Response.Headers.RetryAfter = ((int)FailureWindow.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, "Too many failed attempts with an API key; retry later.", "rate_limit_error", "rate_limit_exceeded");
                return;
            }

            var presented = Bearer(context.Request);
            // Every key is compared, so the time taken does not tell which one came close.
            var matched = false;
            foreach (var key in keys)
            {
                matched |= presented is not null && Matches(presented, key);
            }

            if (!matched)
            {
                using var lease = failures.AttemptAcquire(client);
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await WriteErrorAsync(context, StatusCodes.Status401Unauthorized,
                    presented is null ? "Missing API key: send Authorization: Bearer <key>." : "Incorrect API key.",
                    "invalid_request_error", presented is null ? "missing_api_key" : "invalid_api_key");
                return;
            }

            await next(context);
        });
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string message, string type, string code)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteString("message", message);
        json.WriteString("type", type);
        json.WriteNull("param");
        json.WriteString("code", code);
        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}
