using Microsoft.AspNetCore.Hosting;

namespace PatternTts.Router.Tests.Infrastructure;

/// <summary>
/// Two routers on real Kestrel ports in front of the same two upstreams, sharing their rollout state through a real
/// redis-server, as the production chart runs them.
/// </summary>
public sealed class FleetFixture : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public FakeArm Legacy { get; private set; } = null!;

    public FakeArm New { get; private set; } = null!;

    public RouterFixture First { get; private set; } = null!;

    public RouterFixture Second { get; private set; } = null!;

    public IReadOnlyList<RouterFixture> Replicas => [First, Second];

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Legacy = await FakeArm.StartAsync("legacy");
        New = await FakeArm.StartAsync("new");
        First = new Replica(this, "router-a");
        Second = new Replica(this, "router-b");
        await First.InitializeAsync();
        await Second.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await Legacy.DisposeAsync();
        await New.DisposeAsync();
        await Redis.DisposeAsync();
    }

    private sealed class Replica(FleetFixture fleet, string name) : RouterFixture
    {
        protected override bool OwnsArms => false;

        protected override Task<(FakeArm Legacy, FakeArm New)> StartArmsAsync() => Task.FromResult((fleet.Legacy, fleet.New));

        protected override void Configure(IDictionary<string, string?> settings)
        {
            settings["Rollout:ReplicaName"] = name;
            settings["Rollout:StoreReconcileSeconds"] = "0.5";
            settings["Rollout:Rollback:Enabled"] = "true";
            settings["Rollout:Rollback:MinSamples"] = "20";
            settings["Rollout:Rollback:MinP95DifferenceMilliseconds"] = "50";
            settings["Rollout:Progression:TickSeconds"] = "0.1";
            settings["Rollout:Progression:LeaseSeconds"] = "1";
            // These tests are about sharing and handover; on two busy cores millisecond answers jitter by tens of ms.
            settings["Rollout:Progression:MinDifferenceMilliseconds"] = "1000";
        }

        protected override void ConfigureHost(IWebHostBuilder builder) =>
            builder.UseSetting("ConnectionStrings:redis", fleet.Redis.ConnectionString);
    }
}
