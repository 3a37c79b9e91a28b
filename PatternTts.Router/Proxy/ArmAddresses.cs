using Yarp.ReverseProxy;

namespace PatternTts.Router.Proxy;

/// <summary>
/// Reads an arm's address from YARP's live cluster state, which holds the destinations after service discovery
/// resolved them (<c>http://tts-service</c> becomes the real endpoint).
/// </summary>
internal sealed class ArmAddresses(IProxyStateLookup proxyState)
{
    public Uri? Resolve(Arm arm)
    {
        if (!proxyState.TryGetCluster(arm.ClusterId(), out var cluster))
        {
            return null;
        }

        var destination = cluster.DestinationsState.AvailableDestinations.FirstOrDefault()
            ?? cluster.Destinations.Values.FirstOrDefault();
        return destination is null ? null : new Uri(destination.Model.Config.Address, UriKind.Absolute);
    }

    /// <summary>Appends a path to the destination the way YARP does, keeping any path prefix the address carries.</summary>
    public static Uri Combine(Uri destination, string pathAndQuery) =>
        new(destination.GetLeftPart(UriPartial.Authority) + destination.AbsolutePath.TrimEnd('/') + pathAndQuery, UriKind.Absolute);
}
