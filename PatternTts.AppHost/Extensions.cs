using System.Reflection;

namespace PatternTts.AppHost;

/// <summary>How the AppHost runs the projects: their build output, and their endpoints.</summary>
internal static class Extensions
{
    /// <summary>
    /// DCP starts projects with <c>dotnet run --no-build</c>, which looks for their output in the default
    /// <c>artifacts/</c>. When this AppHost was built elsewhere (<c>--artifacts-path</c>), MSBuild must be told so
    /// through the environment, or it would run stale binaries or none.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithThisBuildsOutput(this IResourceBuilder<ProjectResource> project)
    {
        var artifactsPath = typeof(Extensions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ArtifactsPath")?.Value;
        return project.ApplicationBuilder.ExecutionContext.IsRunMode && !string.IsNullOrEmpty(artifactsPath)
            ? project.WithEnvironment("ArtifactsPath", artifactsPath)
            : project;
    }

    /// <summary>
    /// Serves an arm straight from its process instead of through DCP's proxy. The proxy keeps accepting
    /// connections after the process stops and leaves them hanging; without it a stopped arm refuses the
    /// connection, which is what the router's failover (and production) sees.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDirectArmEndpoint(this IResourceBuilder<ProjectResource> arm) =>
        arm.WithEndpoint("http", endpoint => endpoint.IsProxied = false);
}
