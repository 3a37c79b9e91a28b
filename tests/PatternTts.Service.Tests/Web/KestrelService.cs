using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace PatternTts.Service.Tests.Web;

/// <summary>A <see cref="ServiceFactory"/> service on a real loopback port, so a browser or a real socket client can reach it.</summary>
public sealed class KestrelService : IDisposable
{
    private readonly ServiceFactory _factory;

    public KestrelService()
        : this(new ServiceFactory())
    {
    }

    /// <summary>
    /// A configured service (settings, stand-in) on a real port; it is disposed with this. <paramref name="start"/>
    /// starts it, for a factory that must start its own way (e.g. <see cref="ServiceFactory.UseRecordingModel"/>).
    /// </summary>
    internal KestrelService(ServiceFactory factory, Action<ServiceFactory>? start = null)
    {
        _factory = factory;
        _factory.UseKestrel(0);
        (start ?? (f => f.StartServer()))(_factory);
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        BaseUrl = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))?.TrimEnd('/')
            ?? throw new InvalidOperationException($"Kestrel listens on no http address: {string.Join(", ", addresses)}");
    }

    public string BaseUrl { get; }

    public HttpClient CreateClient() => new() { BaseAddress = new Uri(BaseUrl) };

    public void Dispose() => _factory.Dispose();
}
