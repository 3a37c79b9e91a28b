using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace PatternTts.Router.Proxy;

/// <summary>
/// Looks at each arm's answer before YARP copies it: remembers what the arm was sent and, while a failover is
/// still possible, keeps a 502/503/504 from reaching the client so the request can be replayed on the other arm.
/// </summary>
internal sealed class RolloutResponseTransformProvider : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context) => context.AddResponseTransform(InspectAsync);

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
