using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.ServiceDiscovery;

namespace PatternTts.Router.Proxy;

/// <summary>
/// Resolves destinations through Aspire service discovery only where Aspire's <c>services:*</c> configuration
/// exists; elsewhere (Kubernetes DNS names, plain addresses) destinations pass through as configured, synchronously.
/// The service-discovery resolver answers asynchronously, so YARP then re-registers for config changes on another
/// thread, which can deadlock with a configuration reload in flight (a CompositeChangeToken lock against a
/// CancellationTokenSource callback wait; seen once in a loaded test run). Outside Aspire it adds only that risk.
/// </summary>
internal sealed class AspireOnlyDestinationResolver(IDestinationResolver serviceDiscovery, IConfiguration configuration) : IDestinationResolver
{
    public const string ServicesSectionName = "services";

    public ValueTask<ResolvedDestinationCollection> ResolveDestinationsAsync(
        IReadOnlyDictionary<string, DestinationConfig> destinations, CancellationToken cancellationToken) =>
        configuration.GetSection(ServicesSectionName).Exists()
            ? serviceDiscovery.ResolveDestinationsAsync(destinations, cancellationToken)
            : ValueTask.FromResult(new ResolvedDestinationCollection(destinations, null));

    /// <summary>Wraps the resolver that <c>AddServiceDiscoveryDestinationResolver</c> registered.</summary>
    public static void Decorate(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IDestinationResolver));
        services.Remove(registered);
        services.AddSingleton<IDestinationResolver>(provider => new AspireOnlyDestinationResolver(
            (IDestinationResolver)(registered.ImplementationInstance
                ?? registered.ImplementationFactory?.Invoke(provider)
                ?? ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!)),
            provider.GetRequiredService<IConfiguration>()));
    }
}
