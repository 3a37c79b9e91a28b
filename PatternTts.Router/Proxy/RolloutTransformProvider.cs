using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace PatternTts.Router.Proxy;

/// <summary>
/// The router's transforms on every route. Requests lose the headers only the router may set (its shadow tag, a
/// client-chosen X-Real-IP) and those the client's Connection header names as hop-by-hop; answers lose the ones
/// the arm's Connection header names. Each answer is looked at before YARP copies it: what the arm was sent is
/// remembered and, while a failover is still possible, a 502/503/504 is kept from the client so the request can be
/// replayed on the other arm.
/// </summary>
internal sealed class RolloutTransformProvider : ITransformProvider
{
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

    private static ValueTask InspectAsync(ResponseTransformContext context)
    {
        if (context.HttpContext.Features.Get<RolloutRequestFeature>() is not { } feature || context.ProxyResponse is not { } response)
        {
            return ValueTask.CompletedTask;
        }

        int? suppressed = feature.CanFailover && (int)response.StatusCode is 502 or 503 or 504 ? (int)response.StatusCode : null;
        context.SuppressResponseBody |= suppressed is not null;
        feature.UpstreamAnswered(response.RequestMessage?.RequestUri?.PathAndQuery, suppressed);
        return ValueTask.CompletedTask;
    }
}
