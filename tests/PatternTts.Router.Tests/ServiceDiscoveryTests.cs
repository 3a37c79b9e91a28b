namespace PatternTts.Router.Tests;

/// <summary>The addresses Aspire's AppHost sets: logical names resolved from <c>services:*</c> configuration.</summary>
public sealed class ServiceDiscoveryFixture : RouterFixture
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["ReverseProxy:Clusters:new:Destinations:d1:Address"] = "http://tts-service";
        settings["ReverseProxy:Clusters:legacy:Destinations:d1:Address"] = "http://legacy-tts";
        settings["services:tts-service:http:0"] = New.Address.ToString();
        settings["services:legacy-tts:http:0"] = Legacy.Address.ToString();
    }
}

public sealed class ServiceDiscoveryTests(ServiceDiscoveryFixture fixture) : IClassFixture<ServiceDiscoveryFixture>
{
    [Fact]
    public async Task LogicalAddressesResolveThroughServiceDiscovery()
    {
        // Arrange
        fixture.Reset(0);

        // Act
        using var legacy = await fixture.Client.SendAsync(fixture.Speech("sd-user"));
        using var @new = await fixture.Client.SendAsync(fixture.Speech("sd-user", forcedArm: "new"));
        var health = await fixture.Client.GetFromJsonAsync<RouterHealthResponse>("/health", HttpExtensions.JsonOptions);

        // Assert
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        Assert.StartsWith("served-by:legacy;", await legacy.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, @new.StatusCode);
        Assert.StartsWith("served-by:new;", await @new.Content.ReadAsStringAsync());
        Assert.Equal(ArmHealthStatus.Healthy, health!.Arms.New.Status);
        Assert.Equal(ArmHealthStatus.Healthy, health.Arms.Legacy.Status);
    }
}

/// <summary>A mounted ConfigMap: the JSON file named by <c>Router:ConfigFile</c>, watched for changes.</summary>
public sealed class ConfigFileFixture : RouterFixture
{
    // A directory of its own: the JSON provider watches the file's whole directory tree, and a watch over all of the
    // shared temp folder would follow every build and test run on the machine.
    private readonly string _directory = Directory.CreateTempSubdirectory("router-rollout-").FullName;

    public string FilePath => Path.Combine(_directory, "rollout.json");

    public void Write(int percentage) =>
        File.WriteAllText(FilePath, $$"""{ "Rollout": { "Percentage": {{percentage}} } }""");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    // The test's in-memory settings are layered last, so they must not pin the value the file changes.
    protected override void Configure(IDictionary<string, string?> settings) => settings.Remove("Rollout:Percentage");

    protected override void ConfigureHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        Write(0);
        builder.UseSetting("Router:ConfigFile", FilePath);
    }
}

public sealed class ConfigFileReloadTests(ConfigFileFixture fixture) : IClassFixture<ConfigFileFixture>
{
    [Fact]
    public async Task EditingTheMountedFileChangesThePercentageWithoutRestart()
    {
        // Arrange
        Assert.Equal(0, (await fixture.GetRolloutAsync()).Percentage);

        // Act
        fixture.Write(25);
        var state = await Eventually.WaitAsync(fixture.GetRolloutAsync, s => s.Percentage == 25, "the file reload");

        // Assert
        Assert.Equal("configuration", state.Source);
        Assert.Equal(RolloutStatus.Active, state.State);
    }
}
