namespace PatternTts.AppHost;

/// <summary>
/// The Redis the router replicas share their rollout through: Aspire's Redis container where a container runtime
/// answers, otherwise Debian's <c>redis-server</c> as a local process (scripts/setup.sh installs it), with no
/// persistence, on a port Aspire allocates. Either way the routers get it as <c>ConnectionStrings__redis</c>.
/// </summary>
internal static class RolloutStoreExtensions
{
    public const string ConnectionName = "redis";
    public const string ServerResourceName = "redis-server";

    public static (IResourceBuilder<IResourceWithConnectionString> Connection, IResourceBuilder<IResource> Server) AddRolloutStore(
        this IDistributedApplicationBuilder builder, ContainerRuntimeProbe containers)
    {
        if (containers.Answered)
        {
            var container = builder.AddRedis(ConnectionName);
            return (container, container);
        }

        var server = builder.AddExecutable(ServerResourceName, "redis-server", builder.AppHostDirectory)
            .WithEndpoint(name: "tcp", scheme: "tcp", isProxied: false);
        var endpoint = server.GetEndpoint("tcp");
        server.WithArgs("--port", endpoint.Property(EndpointProperty.TargetPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no");
        var connection = builder.AddConnectionString(ConnectionName,
            ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.Host)}:{endpoint.Property(EndpointProperty.Port)}"));
        return (connection, server);
    }
}
