using System.Net.Http.Headers;
using System.Text.Json;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace PatternTts.Router.Proxy;

/// <summary>
/// The router's transforms on every route. Requests lose the headers only the router may set (its shadow tag, a
/// client-chosen X-Real-IP) and those the client's Connection header names as hop-by-hop; answers lose the ones
/// the arm's Connection header names. Each answer is looked at before YARP copies it: what the arm was sent is
/// remembered and, while a failover is still possible, a 502/503/504 is kept from the client so the request can be
/// replayed on the other arm, and so is a new-arm 4xx whose OpenAI error code says the new service cannot serve
/// the request yet (<see cref="RolloutOptions.CapabilityFallbackCodes"/>), so its users are not broken by the split.
/// </summary>
internal sealed class RolloutTransformProvider(IOptionsMonitor<RolloutOptions> options) : ITransformProvider
{
    /// <summary>An OpenAI error body is a few hundred bytes; a larger 4xx body is passed on unread.</summary>
    private const int MaxErrorBodyBytes = 16 * 1024;

    private static readonly string[] RouterOwnedHeaders = [Arms.ShadowHeaderName, "X-Real-IP"];

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        foreach (var header in RouterOwnedHeaders)
        {
            context.AddRequestHeaderRemove(header);
        }

        context.AddRequestTransform(RemoveConnectionNamedRequestHeaders);
        context.AddResponseTransform(InspectAsync);
        context.AddResponseTransform(RemoveConnectionNamedResponseHeaders);
    }

    private static ValueTask RemoveConnectionNamedRequestHeaders(RequestTransformContext context)
    {
        foreach (var name in ConnectionNamed(context.HttpContext.Request.Headers.Connection))
        {
            context.ProxyRequest.Headers.Remove(name);
            context.ProxyRequest.Content?.Headers.Remove(name);
        }

        return ValueTask.CompletedTask;
    }

    private static ValueTask RemoveConnectionNamedResponseHeaders(ResponseTransformContext context)
    {
        if (context.ProxyResponse is { } response && response.Headers.TryGetValues("Connection", out var connection))
        {
            foreach (var name in ConnectionNamed(new Microsoft.Extensions.Primitives.StringValues([.. connection])))
            {
                context.HttpContext.Response.Headers.Remove(name);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The header names a Connection header lists, less the connection options themselves.</summary>
    private static IEnumerable<string> ConnectionNamed(Microsoft.Extensions.Primitives.StringValues connection) =>
        connection.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(name => !name.Equals("close", StringComparison.OrdinalIgnoreCase)
                && !name.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
                && !name.Equals("upgrade", StringComparison.OrdinalIgnoreCase));

    private async ValueTask InspectAsync(ResponseTransformContext context)
    {
        if (context.HttpContext.Features.Get<RolloutRequestFeature>() is not { } feature || context.ProxyResponse is not { } response)
        {
            return;
        }

        var status = (int)response.StatusCode;
        var path = response.RequestMessage?.RequestUri?.PathAndQuery;
        if (feature.CanFailover && status is 502 or 503 or 504)
        {
            context.SuppressResponseBody = true;
            feature.UpstreamAnswered(path, status);
            return;
        }

        if (feature.CanFailover && feature.Arm == Arm.New && status is >= 400 and < 500
            && await ErrorCodeAsync(response) is { } code && options.CurrentValue.EffectiveCapabilityFallbackCodes.Contains(code, StringComparer.Ordinal))
        {
            context.SuppressResponseBody = true;
            feature.UpstreamAnswered(path, status, code);
            return;
        }

        feature.UpstreamAnswered(path, null);
    }

    /// <summary>
    /// The <c>error.code</c> of a small JSON error body, or null. The body is read into memory and put back as the
    /// response's content, so an answer that is not a fallback still reaches the client byte for byte.
    /// </summary>
    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/json" || response.Content.Headers.ContentLength > MaxErrorBodyBytes)
        {
            return null;
        }

        // Chunked answers carry no length: read at most the limit, and pass on whatever is left behind it unread.
        var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[MaxErrorBodyBytes + 1];
        var read = 0;
        int count;
        while (read < buffer.Length && (count = await body.ReadAsync(buffer.AsMemory(read))) > 0)
        {
            read += count;
        }

        var bytes = buffer[..read];
        HttpContent replacement = read > MaxErrorBodyBytes ? new StreamContent(new PrefixedStream(bytes, body)) : new ByteArrayContent(bytes);
        foreach (var header in response.Content.Headers)
        {
            replacement.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = replacement;
        if (read > MaxErrorBodyBytes)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                ? code.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
