using System.Runtime.CompilerServices;
using Microsoft.FeatureManagement;

namespace PatternTts.Router.Rollout;

/// <summary>
/// Projects the live rollout percentage into the flag's Targeting filter, so the admin API and configuration reloads
/// drive FeatureManagement directly instead of going through a second <c>FeatureManagement</c> section.
/// </summary>
internal sealed class RolloutFeatureDefinitionProvider(RolloutStateStore store, IOptionsMonitor<RolloutOptions> options)
    : IFeatureDefinitionProvider
{
    public const string TargetingFilterName = "Microsoft.Targeting";

    // FeatureManager caches bound filter settings until it sees a different Parameters instance; one instance per
    // percentage keeps binding off the hot path while every change still rebinds.
    private readonly IConfiguration?[] _parameters = new IConfiguration?[101];

    public Task<FeatureDefinition> GetFeatureDefinitionAsync(string featureName)
    {
        var name = options.CurrentValue.FeatureName;
        return Task.FromResult(string.Equals(featureName, name, StringComparison.OrdinalIgnoreCase)
            ? CreateDefinition(name)
            : null!);
    }

    public async IAsyncEnumerable<FeatureDefinition> GetAllFeatureDefinitionsAsync()
    {
        await Task.CompletedTask;
        yield return CreateDefinition(options.CurrentValue.FeatureName);
    }

    private FeatureDefinition CreateDefinition(string name) => new()
    {
        Name = name,
        EnabledFor = [new FeatureFilterConfiguration { Name = TargetingFilterName, Parameters = ParametersFor(store.Current.Percentage) }],
    };

    private IConfiguration ParametersFor(int percentage)
    {
        return _parameters[percentage] ??= new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Audience:DefaultRolloutPercentage"] = percentage.ToString(System.Globalization.CultureInfo.InvariantCulture),
            })
            .Build();
    }
}
