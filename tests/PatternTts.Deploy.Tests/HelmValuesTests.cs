using System.Globalization;
using System.Text.RegularExpressions;
using PatternTts.Deploy.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace PatternTts.Deploy.Tests;

/// <summary>The chart's values files, read with YamlDotNet.</summary>
public sealed partial class HelmValuesTests
{
    private const string Values = "helm/pattern-tts/values.yaml";
    private const string DevValues = "helm/pattern-tts/values-dev.yaml";
    private const string ProdValues = "helm/pattern-tts/values-prod.yaml";

    public static TheoryData<string> YamlFiles =>
        ["helm/pattern-tts/Chart.yaml", Values, DevValues, ProdValues, "PatternTts.Service/service.yaml"];

    public static TheoryData<string> OverrideFiles => [DevValues, ProdValues];

    public static TheoryData<string> ValuesFiles => [Values, DevValues, ProdValues];

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void YamlFileIsWellFormedWithAMappingAtTheRoot(string path)
    {
        var root = Yaml.LoadMapping(path);

        Assert.NotEmpty(root.Children);
    }

    [Fact]
    public void ChartDeclaresApiV2WithSemanticVersions()
    {
        var chart = Yaml.LoadMapping("helm/pattern-tts/Chart.yaml");

        Assert.Equal("v2", chart.Scalar("apiVersion"));
        Assert.Equal("pattern-tts", chart.Scalar("name"));
        Assert.Equal("application", chart.Scalar("type"));
        Assert.Matches(@"^\d+\.\d+\.\d+$", chart.Scalar("version"));
        Assert.Matches(@"^\d+\.\d+\.\d+$", chart.Scalar("appVersion"));
    }

    [Theory]
    [MemberData(nameof(OverrideFiles))]
    public void OverrideFileOnlySetsKeysThatValuesYamlDefines(string path)
    {
        // Arrange
        var baseValues = Yaml.LoadMapping(Values);
        var overrides = Yaml.LoadMapping(path);

        // Act
        var unknown = Yaml.UnknownKeys(baseValues, overrides).ToList();

        // Assert
        Assert.True(unknown.Count == 0, $"{path} sets keys values.yaml does not define: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void OverrideCheckReportsAKeyMissingFromTheBase()
    {
        var baseValues = Parse("tts:\n  replicaCount: 1\n  podAnnotations: {}\n");
        var overrides = Parse("tts:\n  replicas: 2\n  podAnnotations:\n    free: form\n");

        var unknown = Yaml.UnknownKeys(baseValues, overrides).ToList();

        Assert.Equal(["tts.replicas"], unknown);
    }

    [Fact]
    public void ChartConfigMirrorsEveryKeyOfConfigServiceYaml()
    {
        // Arrange
        var serviceKeys = Yaml.LoadMapping("PatternTts.Service/service.yaml").Mapping("tts").Keys().ToList();

        // Act
        var chartKeys = Yaml.LoadMapping(Values).Mapping("tts.config").Keys().ToList();

        // Assert
        Assert.NotEmpty(serviceKeys);
        Assert.Empty(serviceKeys.Except(chartKeys));
        Assert.Empty(chartKeys.Except(serviceKeys));
    }

    [Fact]
    public void ChartConfigPointsAtTheContainerLayoutOfTheImage()
    {
        var values = Yaml.LoadMapping(Values);
        var env = Dockerfile.Load("docker/Dockerfile").Final.Environment;

        Assert.Equal(env["TTS_PORT"], values.Scalar("tts.config.port"));
        Assert.Equal(env["TTS_MODEL_PATH"], values.Scalar("tts.config.modelPath"));
        Assert.Equal(env["TTS_VOICES_PATH"], values.Scalar("tts.config.voicesPath"));
        Assert.Equal(env["TTS_TEMP_DIR"], values.Scalar("tts.config.tempDir"));
        Assert.StartsWith("/tmp/", values.Scalar("tts.config.tempDir"));
    }

    [Fact]
    public void ServiceIsTheClusterIpPatternTtsServiceOnPort80()
    {
        var values = Yaml.LoadMapping(Values);

        Assert.Equal("pattern-tts-service", values.Scalar("tts.service.name"));
        Assert.Equal("ClusterIP", values.Scalar("tts.service.type"));
        Assert.Equal("80", values.Scalar("tts.service.port"));
        Assert.Equal("8205", values.Scalar("tts.config.port"));
        Assert.Equal("8200", values.Scalar("router.containerPort"));
        Assert.Equal("8880", values.Scalar("legacy.containerPort"));
    }

    [Theory]
    [InlineData("tts")]
    [InlineData("router")]
    public void DotNetWorkloadIsLockedDown(string component)
    {
        // Arrange
        var values = Yaml.LoadMapping(Values);
        var imageUser = Dockerfile.Load(component == "tts" ? "docker/Dockerfile" : "docker/Dockerfile.router").Final.Last("USER")!.Arguments;

        // Act
        var pod = values.Mapping($"{component}.podSecurityContext");
        var container = values.Mapping($"{component}.securityContext");

        // Assert
        Assert.Equal("true", pod.Scalar("runAsNonRoot"));
        Assert.Equal(imageUser, pod.Scalar("runAsUser"));
        Assert.Equal("RuntimeDefault", pod.Scalar("seccompProfile.type"));
        Assert.Equal("true", container.Scalar("runAsNonRoot"));
        Assert.Equal("false", container.Scalar("allowPrivilegeEscalation"));
        Assert.Equal("true", container.Scalar("readOnlyRootFilesystem"));
        Assert.Equal(["ALL"], Sequence(container, "capabilities.drop"));
    }

    [Fact]
    public void LegacyContainerDropsPrivilegesButKeepsTheWritableRootItNeeds()
    {
        var values = Yaml.LoadMapping(Values);

        Assert.Equal("true", values.Scalar("legacy.podSecurityContext.runAsNonRoot"));
        Assert.NotEqual("0", values.Scalar("legacy.podSecurityContext.runAsUser"));
        Assert.Equal("false", values.Scalar("legacy.securityContext.allowPrivilegeEscalation"));
        Assert.Equal(["ALL"], Sequence(values, "legacy.securityContext.capabilities.drop"));
        Assert.Equal("ghcr.io/remsky/kokoro-fastapi-cpu", values.Scalar("legacy.image.repository"));
        Assert.Equal("v0.2.4", values.Scalar("legacy.image.tag"));
    }

    [Fact]
    public void AutoscalingIsOnInProdAndOffInDev()
    {
        var values = Yaml.LoadMapping(Values);

        var prod = Yaml.EffectiveScalar(values, Yaml.LoadMapping(ProdValues), "tts.autoscaling.enabled");
        var dev = Yaml.EffectiveScalar(values, Yaml.LoadMapping(DevValues), "tts.autoscaling.enabled");

        Assert.Equal("true", prod);
        Assert.Equal("false", dev);
        var min = int.Parse(Yaml.EffectiveScalar(values, Yaml.LoadMapping(ProdValues), "tts.autoscaling.minReplicas"));
        Assert.True(min >= 2, "prod keeps at least two replicas so the PDB allows a drain");
    }

    [Theory]
    [MemberData(nameof(OverrideFiles))]
    public void RolloutSettingsAreWithinRange(string path)
    {
        var values = Yaml.LoadMapping(Values);
        var overrides = Yaml.LoadMapping(path);

        var phase = int.Parse(Yaml.EffectiveScalar(values, overrides, "router.rollout.phase"));
        var percentage = int.Parse(Yaml.EffectiveScalar(values, overrides, "router.rollout.percentage"));
        var shadow = double.Parse(Yaml.EffectiveScalar(values, overrides, "router.rollout.shadowSampleRate"), CultureInfo.InvariantCulture);

        Assert.InRange(phase, 1, 3);
        Assert.InRange(percentage, 0, 100);
        Assert.InRange(shadow, 0, 1);
    }

    [Fact]
    public void ProductionDisallowsTheForcedArmHeaderAndTheRobotVoice()
    {
        var values = Yaml.LoadMapping(Values);
        var prod = Yaml.LoadMapping(ProdValues);

        Assert.Equal("false", Yaml.EffectiveScalar(values, prod, "router.rollout.allowForcedArm"));
        Assert.Equal("kokoro", Yaml.EffectiveScalar(values, prod, "tts.config.engine"));
        Assert.Equal("Production", Yaml.EffectiveScalar(values, prod, "tts.environment"));
    }

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void ModelSourceIsAKnownVolumeAndVariant(string path)
    {
        var values = Yaml.LoadMapping(Values);
        var overrides = Yaml.LoadMapping(path);

        Assert.Contains(Yaml.EffectiveScalar(values, overrides, "tts.model.volume"), new[] { "image", "emptyDir", "pvc" });
        Assert.Contains(Yaml.EffectiveScalar(values, overrides, "tts.model.download.variant"), new[] { "int8", "fp32", "fp16" });
    }

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void NoImageIsUnpinnedOrLatest(string path)
    {
        var root = Yaml.LoadMapping(path);

        foreach (var image in Descendants(root).OfType<YamlMappingNode>().Where(m => m.Find("repository") is not null))
        {
            var tag = image.Find("tag") is YamlScalarNode t ? t.Value ?? "" : "";
            Assert.NotEqual("latest", tag);
            Assert.DoesNotContain(":latest", image.Scalar("repository"));
        }
    }

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void EveryWorkloadRequestsNoMoreThanItsLimits(string path)
    {
        var values = Yaml.LoadMapping(Values);
        var overrides = Yaml.LoadMapping(path);

        foreach (var component in new[] { "tts", "router", "legacy" })
        {
            foreach (var resource in new[] { "cpu", "memory" })
            {
                var request = Quantity(Yaml.EffectiveScalar(values, overrides, $"{component}.resources.requests.{resource}"));
                var limit = Quantity(Yaml.EffectiveScalar(values, overrides, $"{component}.resources.limits.{resource}"));
                Assert.True(request > 0 && request <= limit, $"{path}: {component} {resource} request {request} vs limit {limit}");
            }
        }
    }

    [Fact]
    public void ResourcesFollowTheMeasuredFootprint()
    {
        var values = Yaml.LoadMapping(Values);

        // Kokoro fp32 peaks at ~0.64 GiB RSS (published Kokoro figures); the limit leaves room for the runtime and concurrency.
        Assert.Equal(1.0, Quantity(values.Scalar("tts.resources.requests.cpu")));
        Assert.Equal(1.5 * 1024 * 1024 * 1024, Quantity(values.Scalar("tts.resources.requests.memory")));
        Assert.Equal(2.0, Quantity(values.Scalar("tts.resources.limits.cpu")));
        Assert.Equal(3.0 * 1024 * 1024 * 1024, Quantity(values.Scalar("tts.resources.limits.memory")));
        Assert.Equal(0.1, Quantity(values.Scalar("router.resources.requests.cpu")), 6);
        Assert.Equal(128.0 * 1024 * 1024, Quantity(values.Scalar("router.resources.requests.memory")));
    }

    [Fact]
    public void NetworkPolicyGatewaySelectorIsConfigured()
    {
        var values = Yaml.LoadMapping(Values);

        Assert.Equal("true", values.Scalar("networkPolicy.enabled"));
        Assert.NotEmpty(values.Mapping("networkPolicy.gateway.podLabels").Children);
        Assert.Equal("true", Yaml.EffectiveScalar(values, Yaml.LoadMapping(ProdValues), "networkPolicy.enabled"));
    }

    private static YamlMappingNode Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static IEnumerable<string> Sequence(YamlNode node, string path) =>
        Assert.IsType<YamlSequenceNode>(node.Find(path)).Children.Cast<YamlScalarNode>().Select(s => s.Value!);

    private static IEnumerable<YamlNode> Descendants(YamlNode node)
    {
        yield return node;
        var children = node switch
        {
            YamlMappingNode m => m.Children.Values,
            YamlSequenceNode s => s.Children,
            _ => [],
        };
        foreach (var descendant in children.SelectMany(Descendants))
        {
            yield return descendant;
        }
    }

    /// <summary>A Kubernetes quantity in base units (cores or bytes).</summary>
    private static double Quantity(string text)
    {
        var match = QuantityPattern().Match(text);
        Assert.True(match.Success, $"'{text}' is not a Kubernetes quantity");
        var number = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        return number * match.Groups["unit"].Value switch
        {
            "" => 1,
            "m" => 1e-3,
            "k" => 1e3,
            "M" => 1e6,
            "G" => 1e9,
            "Ki" => 1024,
            "Mi" => 1024 * 1024,
            "Gi" => 1024.0 * 1024 * 1024,
            var unit => throw new FormatException($"unit {unit}"),
        };
    }

    [GeneratedRegex(@"^(?<n>\d+(?:\.\d+)?)(?<unit>m|k|M|G|Ki|Mi|Gi)?$")]
    private static partial Regex QuantityPattern();
}
