using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PatternTts.Router.Tests.Infrastructure;

/// <summary>
/// The router on a real Kestrel loopback port in front of two real upstreams. Settings go in through an in-memory
/// source added last, which <see cref="ReloadAsync"/> changes the way a ConfigMap or appsettings reload would.
/// </summary>
public class RouterFixture : IAsyncLifetime
{
    public const string AdminKey = "test-admin-key";

    private RouterFactory? _factory;

    public FakeArm Legacy { get; private set; } = null!;

    public FakeArm New { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _factory!.Services;

    internal RolloutStateStore Store => Services.GetRequiredService<RolloutStateStore>();

    public async Task InitializeAsync()
    {
        (Legacy, New) = await StartArmsAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:legacy:Destinations:d1:Address"] = Legacy.Address.ToString(),
            ["ReverseProxy:Clusters:new:Destinations:d1:Address"] = New.Address.ToString(),
            ["Rollout:AdminKey"] = AdminKey,
            ["Rollout:Percentage"] = "0",
            ["Rollout:Phase"] = "2",
            ["Rollout:ShadowSampleRate"] = "1",
            ["Rollout:ShadowMaxConcurrency"] = "64",
            ["Rollout:HealthCacheSeconds"] = "0",
            ["Rollout:AllowForcedArm"] = "true",
            // Outside Development /metrics is on the management port only; these tests read it through the one client.
            ["Management:PublicMetrics"] = "true",
            // Rollback is judged on latency too; fake arms answer in about a millisecond, so it stays off except
            // where a test is about it.
            ["Rollout:Rollback:Enabled"] = "false",
            ["Rollout:Rollback:MinSamples"] = "20",
        };
        Configure(settings);
        _factory = new RouterFactory(settings, ConfigureSources, ConfigureHost);
        _factory.UseKestrel(0);
        _factory.StartServer();
        Client = _factory.CreateClient();
        Client.Timeout = TimeSpan.FromSeconds(30);
    }

    public virtual async Task DisposeAsync()
    {
        Client?.Dispose();
        // Idempotent: a fleet test may stop a replica before the fleet stops them all.
        if (_factory is not null)
        {
            var factory = _factory;
            _factory = null;
            await factory.DisposeAsync();
        }

        if (OwnsArms)
        {
            await Legacy.DisposeAsync();
            await New.DisposeAsync();
        }
    }

    /// <summary>The two upstreams; a fleet's replicas share one pair, which the fleet stops.</summary>
    protected virtual async Task<(FakeArm Legacy, FakeArm New)> StartArmsAsync() =>
        (await FakeArm.StartAsync("legacy"), await FakeArm.StartAsync("new"));

    protected virtual bool OwnsArms => true;

    /// <summary>Back to a clean A/B state at <paramref name="percentage"/> with healthy, empty arms.</summary>
    public void Reset(int percentage = 0, int phase = 2)
    {
        Legacy.Reset();
        New.Reset();
        Store.SetPhaseAsync((RolloutPhase)phase, percentage, "test", CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Changes configuration values and reloads every provider, as a file or environment reload does.</summary>
    public void Reload(params (string Key, string? Value)[] changes)
    {
        var configuration = (IConfigurationRoot)Services.GetRequiredService<IConfiguration>();
        foreach (var (key, value) in changes)
        {
            _factory!.Settings[key] = value;
        }

        configuration.Reload();
    }

    public HttpRequestMessage Speech(string user, string path = "/v1/audio/speech", string? body = null, string? forcedArm = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = JsonContent.Create(new { model = "tts-1", input = body ?? $"hello from {user}", voice = "af_heart" }),
        };
        request.Headers.Add(Arms.UserHeaderName, user);
        if (forcedArm is not null)
        {
            request.Headers.Add(Arms.HeaderName, forcedArm);
        }

        return request;
    }

    public HttpRequestMessage Admin(HttpMethod method, string path, object? body = null, string? key = AdminKey)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return request;
    }

    protected virtual void Configure(IDictionary<string, string?> settings)
    {
    }

    /// <summary>Adds configuration sources after the test settings, so they win over them.</summary>
    protected virtual void ConfigureSources(IConfigurationBuilder configuration)
    {
    }

    /// <summary>Host settings, which unlike app configuration are visible while Program.cs builds the app.</summary>
    protected virtual void ConfigureHost(IWebHostBuilder builder)
    {
    }

    private sealed class RouterFactory(
        Dictionary<string, string?> settings,
        Action<IConfigurationBuilder> configureSources,
        Action<IWebHostBuilder> configureHost)
        : WebApplicationFactory<Program>
    {
        private readonly ReloadableMemorySource _source = new(settings);

        public IDictionary<string, string?> Settings => _source.Data;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            configureHost(builder);
            builder.ConfigureAppConfiguration((_, configuration) =>
            {
                configuration.Add(_source);
                configureSources(configuration);
            });
        }
    }

    /// <summary>An in-memory source whose provider re-reads the shared dictionary on reload.</summary>
    private sealed class ReloadableMemorySource(Dictionary<string, string?> data) : IConfigurationSource
    {
        public Dictionary<string, string?> Data { get; } = data;

        public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(this);

        private sealed class Provider(ReloadableMemorySource source) : ConfigurationProvider
        {
            public override void Load() =>
                Data = new Dictionary<string, string?>(source.Data, StringComparer.OrdinalIgnoreCase);
        }
    }
}

public static class HttpExtensions
{
    public static string? Arm(this HttpResponseMessage response) =>
        response.Headers.TryGetValues(Arms.HeaderName, out var values) ? values.Single() : null;

    internal static async Task<RolloutStatusResponse> GetRolloutAsync(this RouterFixture fixture)
    {
        using var response = await fixture.Client.SendAsync(fixture.Admin(HttpMethod.Get, "/admin/rollout"));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RolloutStatusResponse>(JsonOptions))!;
    }

    internal static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new(System.Text.Json.JsonSerializerDefaults.Web);
}
