using System.Text.Json;
using PatternTts.Deploy.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace PatternTts.Deploy.Tests;

/// <summary>
/// The chart rendered by <see cref="MiniHelm"/> (no Helm binary runs here) with each values file, then read back
/// as YAML: the manifests Kubernetes would receive.
/// </summary>
public sealed class RenderedChartTests
{
    private const string Namespace = "pattern-agentic";

    public static TheoryData<string> Profiles => ["default", "dev", "prod"];

    [Theory]
    [MemberData(nameof(Profiles))]
    public void ChartRendersWellFormedNamespacedManifests(string profile)
    {
        // Act
        var manifests = Manifests(Render(profile));

        // Assert
        Assert.NotEmpty(manifests);
        foreach (var (file, manifest) in manifests)
        {
            Assert.False(string.IsNullOrEmpty(manifest.Scalar("apiVersion")), file);
            Assert.False(string.IsNullOrEmpty(manifest.Scalar("kind")), file);
            Assert.Matches("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", manifest.Scalar("metadata.name"));
            Assert.Equal(Namespace, manifest.Scalar("metadata.namespace"));
        }

        Assert.Equal(manifests.Count, manifests.Select(m => (m.Manifest.Scalar("kind"), m.Manifest.Scalar("metadata.name"))).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void EveryValuesReferenceResolvesInValuesYaml(string profile)
    {
        // Arrange
        var missing = new HashSet<string>();

        // Act
        MiniHelm.Render(Repo.ChartDir, profile == "default" ? [] : [ValuesFile(profile)], missingValues: missing);

        // Assert
        Assert.True(missing.Count == 0, $"templates read values that values.yaml lacks: {string.Join(", ", missing.Order())}");
    }

    [Fact]
    public void AValuesReferenceMissingFromValuesYamlIsReported()
    {
        // Arrange
        var chart = Directory.CreateTempSubdirectory("minihelm-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(chart, "templates"));
            File.WriteAllText(Path.Combine(chart, "Chart.yaml"), "name: c\nversion: 0.1.0\nappVersion: \"1\"\n");
            File.WriteAllText(Path.Combine(chart, "values.yaml"), "tts:\n  port: 1\n");
            File.WriteAllText(Path.Combine(chart, "templates", "a.yaml"), "a: {{ .Values.tts.port }}{{ $.Values.tts.typo }}\n");
            var missing = new HashSet<string>();

            // Act
            MiniHelm.Render(chart, [], missingValues: missing);

            // Assert
            Assert.Equal(["tts.typo"], missing);
        }
        finally
        {
            Directory.Delete(chart, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void ReadOnlyRootWorkloadsGetAWritableTmp(string profile)
    {
        var manifests = Manifests(Render(profile));

        foreach (var (deployment, container) in new[] { ("pattern-tts-service", "tts"), ("pattern-tts-router", "router") })
        {
            var pod = Single(manifests, "Deployment", deployment).Mapping("spec.template.spec");
            var mount = Sequence(Container(pod, container), "volumeMounts").Cast<YamlMappingNode>().Single(m => m.Scalar("mountPath") == "/tmp");
            var volume = Sequence(pod, "volumes").Cast<YamlMappingNode>().Single(v => v.Scalar("name") == mount.Scalar("name"));
            Assert.NotNull(volume.Find("emptyDir"));
        }
    }

    [Fact]
    public void ServicePortComesFromTheConfigMapAlone()
    {
        var container = Container(Single(Manifests(Render("prod")), "Deployment", "pattern-tts-service").Mapping("spec.template.spec"), "tts");

        // ASPNETCORE_HTTP_PORTS would override TTS_PORT; the image clears it and the chart must not set it again.
        Assert.DoesNotContain(Sequence(container, "env").Cast<YamlMappingNode>(), e => e.Scalar("name") == "ASPNETCORE_HTTP_PORTS");
    }

    [Fact]
    public void ServiceIsPatternTtsServiceFromPort80ToContainerPort8205()
    {
        // Arrange
        var manifests = Manifests(Render("prod"));

        // Act
        var service = Single(manifests, "Service", "pattern-tts-service");
        var pod = Single(manifests, "Deployment", "pattern-tts-service").Mapping("spec.template");
        var container = Container(pod, "tts");

        // Assert
        Assert.Equal("ClusterIP", service.Scalar("spec.type"));
        var port = Sequence(service, "spec.ports").Cast<YamlMappingNode>().Single(p => p.Scalar("name") == "http");
        Assert.Equal("80", port.Scalar("port"));
        Assert.Equal("http", port.Scalar("targetPort"));
        var containerPort = Sequence(container, "ports").Cast<YamlMappingNode>().Single(p => p.Scalar("name") == "http");
        Assert.Equal("8205", containerPort.Scalar("containerPort"));
        Assert.True(Selects(service.Mapping("spec.selector"), pod.Mapping("metadata.labels")));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void ProbesHitAliveForLivenessAndReadyForReadiness(string profile)
    {
        var manifests = Manifests(Render(profile));

        foreach (var (deployment, container) in new[] { ("pattern-tts-service", "tts"), ("pattern-tts-router", "router") })
        {
            var spec = Container(Single(manifests, "Deployment", deployment).Mapping("spec.template"), container);
            Assert.Equal("/alive", spec.Scalar("startupProbe.httpGet.path"));
            Assert.Equal("/alive", spec.Scalar("livenessProbe.httpGet.path"));
            Assert.Equal("/ready", spec.Scalar("readinessProbe.httpGet.path"));
            Assert.Equal("http", spec.Scalar("readinessProbe.httpGet.port"));
        }

        var legacy = Container(Single(manifests, "Deployment", "pattern-tts-legacy").Mapping("spec.template"), "legacy");
        Assert.Equal("/health", legacy.Scalar("readinessProbe.httpGet.path"));
        Assert.Equal("8880", Assert.IsType<YamlMappingNode>(Sequence(legacy, "ports").Single()).Scalar("containerPort"));
    }

    [Fact]
    public void EveryDotNetContainerRunsLockedDown()
    {
        var manifests = Manifests(Render("prod"));

        foreach (var name in new[] { "pattern-tts-service", "pattern-tts-router" })
        {
            var pod = Single(manifests, "Deployment", name).Mapping("spec.template.spec");
            Assert.Equal("true", pod.Scalar("securityContext.runAsNonRoot"));
            Assert.Equal("1654", pod.Scalar("securityContext.runAsUser"));
            Assert.Equal("false", pod.Scalar("automountServiceAccountToken"));
            var containers = Sequence(pod, "containers").Concat(pod.Find("initContainers") is YamlSequenceNode init ? init : []);
            foreach (var container in containers.Cast<YamlMappingNode>())
            {
                Assert.Equal("false", container.Scalar("securityContext.allowPrivilegeEscalation"));
                Assert.Equal("true", container.Scalar("securityContext.readOnlyRootFilesystem"));
                Assert.Equal("ALL", Assert.IsType<YamlScalarNode>(Assert.Single(Sequence(container, "securityContext.capabilities.drop"))).Value);
                Assert.NotNull(container.Find("resources.limits.memory"));
            }
        }
    }

    [Fact]
    public void ServiceResourcesRenderAsMeasured()
    {
        var container = Container(Single(Manifests(Render("prod")), "Deployment", "pattern-tts-service").Mapping("spec.template"), "tts");

        Assert.Equal("1", container.Scalar("resources.requests.cpu"));
        Assert.Equal("1536Mi", container.Scalar("resources.requests.memory"));
        Assert.Equal("2", container.Scalar("resources.limits.cpu"));
        Assert.Equal("3Gi", container.Scalar("resources.limits.memory"));
    }

    [Fact]
    public void AutoscalerRunsInProdAndNotInDev()
    {
        // Arrange
        var prod = Manifests(Render("prod"));
        var dev = Manifests(Render("dev"));

        // Act
        var hpa = Single(prod, "HorizontalPodAutoscaler", "pattern-tts-service");

        // Assert
        Assert.Equal("autoscaling/v2", hpa.Scalar("apiVersion"));
        Assert.Equal("pattern-tts-service", hpa.Scalar("spec.scaleTargetRef.name"));
        Assert.Equal("cpu", Assert.IsType<YamlMappingNode>(Sequence(hpa, "spec.metrics").Single()).Scalar("resource.name"));
        Assert.Null(Single(prod, "Deployment", "pattern-tts-service").Find("spec.replicas"));
        Assert.DoesNotContain(dev, m => m.Manifest.Scalar("kind") == "HorizontalPodAutoscaler");
        Assert.Equal("1", Single(dev, "Deployment", "pattern-tts-service").Scalar("spec.replicas"));
    }

    [Fact]
    public void DisruptionBudgetsGuardTheServiceAndRouterInProd()
    {
        var manifests = Manifests(Render("prod"));

        foreach (var name in new[] { "pattern-tts-service", "pattern-tts-router" })
        {
            var pdb = Single(manifests, "PodDisruptionBudget", name);
            var pod = Single(manifests, "Deployment", name).Mapping("spec.template");
            Assert.Equal("policy/v1", pdb.Scalar("apiVersion"));
            Assert.Equal("1", pdb.Scalar("spec.minAvailable"));
            Assert.True(Selects(pdb.Mapping("spec.selector.matchLabels"), pod.Mapping("metadata.labels")));
        }

        Assert.DoesNotContain(Manifests(Render("dev")), m => m.Manifest.Scalar("kind") == "PodDisruptionBudget");
    }

    [Fact]
    public void NetworkPolicyAdmitsOnlyTheRouterTheGatewayAndPrometheusToTheService()
    {
        // Arrange
        var manifests = Manifests(Render("prod"));
        var policy = Single(manifests, "NetworkPolicy", "pattern-tts-service");
        var servicePod = Single(manifests, "Deployment", "pattern-tts-service").Mapping("spec.template.metadata.labels");
        var routerPod = Single(manifests, "Deployment", "pattern-tts-router").Mapping("spec.template.metadata.labels");

        // Act
        var rules = Sequence(policy, "spec.ingress").Cast<YamlMappingNode>().ToList();
        var peers = rules.SelectMany(r => Sequence(r, "from")).Cast<YamlMappingNode>().ToList();

        // Assert
        Assert.True(Selects(policy.Mapping("spec.podSelector.matchLabels"), servicePod));
        Assert.Equal(["Ingress"], Sequence(policy, "spec.policyTypes").Cast<YamlScalarNode>().Select(s => s.Value));
        Assert.Equal(3, peers.Count);
        Assert.Contains(peers, p => p.Find("podSelector.matchLabels") is YamlMappingNode m && Selects(m, routerPod));
        Assert.Contains(peers, p => p.Find("podSelector.matchLabels") is YamlMappingNode m && Key(m, "app.kubernetes.io/name") == "dle-gateway");
        Assert.Contains(peers, p => p.Find("namespaceSelector") is not null && p.Find("podSelector") is null);
        Assert.All(rules, r => Assert.Equal(
            Sequence(r, "from").Cast<YamlMappingNode>().Any(p => p.Find("podSelector") is null) ? "management" : "http",
            Assert.IsType<YamlMappingNode>(Sequence(r, "ports").Single()).Scalar("port")));
        Assert.DoesNotContain(Manifests(Render("dev")), m => m.Manifest.Scalar("kind") == "NetworkPolicy");
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void ServiceConfigMapCarriesEverySettingOfServiceYamlAsAString(string profile)
    {
        // Arrange
        var manifests = Manifests(Render(profile));
        var serviceYaml = Yaml.LoadMapping("PatternTts.Service/service.yaml").Mapping("tts");

        // Act
        var data = Single(manifests, "ConfigMap", "pattern-tts-service-config").Mapping("data");
        var pod = Single(manifests, "Deployment", "pattern-tts-service").Mapping("spec.template.spec");

        // Assert
        Assert.Equal(serviceYaml.Children.Count, data.Children.Count);
        Assert.All(data.Children.Values, v => Assert.True(v is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.DoubleQuoted }));
        Assert.Equal("8205", data.Scalar("TTS_PORT"));
        Assert.Equal("/models/kokoro-v1.0", data.Scalar("TTS_MODEL_PATH"));
        Assert.Equal("/app/voices", data.Scalar("TTS_VOICES_PATH"));
        Assert.Equal("/tmp/tts", data.Scalar("TTS_TEMP_DIR"));
        Assert.Equal("false", data.Scalar("USE_GPU"));
        Assert.Equal("5000", data.Scalar("TTS_MAX_TEXT_LENGTH"));
        var container = Container(pod, "tts");
        Assert.Equal("pattern-tts-service-config", Assert.IsType<YamlMappingNode>(Sequence(container, "envFrom").Single()).Scalar("configMapRef.name"));
    }

    [Fact]
    public void LargeSettingsRenderAsIntegersNotFloat64Exponents()
    {
        var data = Single(Manifests(Render("prod", ("tts.config.maxTextLength", 1_000_000.0))), "ConfigMap", "pattern-tts-service-config");

        Assert.Equal("1000000", data.Scalar("data.TTS_MAX_TEXT_LENGTH"));
    }

    [Fact]
    public void ChangingAServiceSettingRollsTheServicePods()
    {
        var before = Single(Manifests(Render("prod")), "Deployment", "pattern-tts-service");
        var after = Single(Manifests(Render("prod", ("tts.config.maxTextLength", 8000.0))), "Deployment", "pattern-tts-service");

        Assert.NotEqual(
            before.Scalar("spec.template.metadata.annotations.checksum/config"),
            after.Scalar("spec.template.metadata.annotations.checksum/config"));
    }

    [Fact]
    public void RolloutFileIsMountedWhereRouterRolloutFilePointsAndHoldsTheValues()
    {
        // Arrange
        var manifests = Manifests(Render("prod", ("router.rollout.phase", 2.0), ("router.rollout.percentage", 25.0)));
        var router = Single(manifests, "Deployment", "pattern-tts-router").Mapping("spec.template.spec");
        var container = Container(router, "router");

        // Act
        var json = Key(Single(manifests, "ConfigMap", "pattern-tts-rollout").Mapping("data"), "rollout.json") ?? "";
        using var document = JsonDocument.Parse(json);
        var rollout = document.RootElement.GetProperty("Rollout");

        // Assert
        Assert.Equal(2, rollout.GetProperty("Phase").GetInt32());
        Assert.Equal(25, rollout.GetProperty("Percentage").GetInt32());
        Assert.Equal(0.05, rollout.GetProperty("ShadowSampleRate").GetDouble());
        Assert.False(rollout.GetProperty("AllowForcedArm").GetBoolean());
        var progression = rollout.GetProperty("Progression");
        Assert.Equal([10, 25, 50, 100], progression.GetProperty("Steps").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal(300, progression.GetProperty("IntervalSeconds").GetDouble());
        Assert.Equal(0.99, progression.GetProperty("MinSuccessRate").GetDouble());
        Assert.Equal("/config/rollout.json", Env(container, "Router__ConfigFile"));
        Assert.Equal("true", Env(container, "DOTNET_USE_POLLING_FILE_WATCHER"));
        var mount = Sequence(container, "volumeMounts").Cast<YamlMappingNode>().Single(m => m.Scalar("mountPath") == "/config");
        Assert.Null(mount.Find("subPath"));
        var volume = Sequence(router, "volumes").Cast<YamlMappingNode>().Single(v => v.Scalar("name") == mount.Scalar("name"));
        Assert.Equal("pattern-tts-rollout", volume.Scalar("configMap.name"));
    }

    [Fact]
    public void ChangingTheRolloutTouchesOnlyTheConfigMapSoTheRouterIsNotRestarted()
    {
        var before = Render("prod");
        var after = Render("prod", ("router.rollout.phase", 2.0), ("router.rollout.percentage", 50.0));

        var changed = before.Keys.Where(file => before[file] != after[file]).ToList();

        Assert.Equal(["NOTES.txt", "router-configmap.yaml"], changed.Order());
    }

    [Fact]
    public void RouterReachesBothArmsThroughTheReleaseServicesAndReadsItsAdminKeyFromASecret()
    {
        var container = Container(Single(Manifests(Render("prod")), "Deployment", "pattern-tts-router").Mapping("spec.template.spec"), "router");

        var adminKey = Sequence(container, "env").Cast<YamlMappingNode>().Single(e => e.Scalar("name") == "Rollout__AdminKey");

        Assert.Equal("http://pattern-tts-service:80", Env(container, "ReverseProxy__Clusters__new__Destinations__d1__Address"));
        Assert.Equal("http://pattern-tts-legacy:8880", Env(container, "ReverseProxy__Clusters__legacy__Destinations__d1__Address"));
        Assert.Equal("8200", Env(container, "ASPNETCORE_HTTP_PORTS"));
        Assert.Equal("pattern-tts-router-admin", adminKey.Scalar("valueFrom.secretKeyRef.name"));
        Assert.Equal("admin-key", adminKey.Scalar("valueFrom.secretKeyRef.key"));
        Assert.Equal("true", adminKey.Scalar("valueFrom.secretKeyRef.optional"));
    }

    [Fact]
    public void ApiKeysComeFromOptionalSecretsSoTheApiStaysOpenWithoutThem()
    {
        var manifests = Manifests(Render("prod"));
        var service = Container(Single(manifests, "Deployment", "pattern-tts-service").Mapping("spec.template.spec"), "tts");
        var router = Container(Single(manifests, "Deployment", "pattern-tts-router").Mapping("spec.template.spec"), "router");

        foreach (var (container, variable, secret) in new[] { (service, "TTS_API_KEYS", "pattern-tts-service-api-keys"), (router, "Router__ApiKeys", "pattern-tts-router-api-keys") })
        {
            var keys = Sequence(container, "env").Cast<YamlMappingNode>().Single(e => e.Scalar("name") == variable);
            Assert.Equal(secret, keys.Scalar("valueFrom.secretKeyRef.name"));
            Assert.Equal("true", keys.Scalar("valueFrom.secretKeyRef.optional"));
        }
    }

    [Fact]
    public void TurningLegacyOffRemovesItsWorkloadAndTheRoutersLegacyAddress()
    {
        var manifests = Manifests(Render("prod", ("legacy.enabled", false)));
        var container = Container(Single(manifests, "Deployment", "pattern-tts-router").Mapping("spec.template.spec"), "router");

        Assert.DoesNotContain(manifests, m => m.Manifest.Scalar("metadata.name") == "pattern-tts-legacy");
        Assert.DoesNotContain(Sequence(container, "env").Cast<YamlMappingNode>(), e => e.Scalar("name").Contains("legacy"));
    }

    [Fact]
    public void ProdDownloadsTheFp32ModelOnceIntoAReadWriteManyClaim()
    {
        // Arrange
        var manifests = Manifests(Render("prod"));
        var pod = Single(manifests, "Deployment", "pattern-tts-service").Mapping("spec.template.spec");

        // Act
        var init = Assert.IsType<YamlMappingNode>(Assert.Single(Sequence(pod, "initContainers")));
        var claim = Single(manifests, "PersistentVolumeClaim", "pattern-tts-models");
        var models = Sequence(pod, "volumes").Cast<YamlMappingNode>().Single(v => v.Scalar("name") == "models");

        // Assert
        Assert.Equal(
            ["dotnet", "PatternTts.Service.dll", "download-model", "--dest", "/models/kokoro-v1.0", "--variant", "fp32"],
            Sequence(init, "command").Cast<YamlScalarNode>().Select(s => s.Value));
        Assert.Equal("pattern-tts-models", models.Scalar("persistentVolumeClaim.claimName"));
        Assert.Equal("ReadWriteMany", Assert.IsType<YamlScalarNode>(Sequence(claim, "spec.accessModes").Single()).Value);
        Assert.Equal("efs-sc", claim.Scalar("spec.storageClassName"));
        var mount = Sequence(Container(pod, "tts"), "volumeMounts").Cast<YamlMappingNode>().Single(m => m.Scalar("name") == "models");
        Assert.Equal("/models/kokoro-v1.0", mount.Scalar("mountPath"));
        Assert.Equal("true", mount.Scalar("readOnly"));
    }

    [Fact]
    public void DevDownloadsTheInt8ModelIntoAPerPodVolume()
    {
        var pod = Single(Manifests(Render("dev")), "Deployment", "pattern-tts-service").Mapping("spec.template.spec");

        var init = Assert.IsType<YamlMappingNode>(Assert.Single(Sequence(pod, "initContainers")));
        var models = Sequence(pod, "volumes").Cast<YamlMappingNode>().Single(v => v.Scalar("name") == "models");

        Assert.Equal("int8", Sequence(init, "command").Cast<YamlScalarNode>().Last().Value);
        Assert.Equal("1Gi", models.Scalar("emptyDir.sizeLimit"));
        Assert.Equal("Development", Env(Container(pod, "tts"), "ASPNETCORE_ENVIRONMENT"));
    }

    [Fact]
    public void ABakedInModelNeedsNoVolumeAndNoDownload()
    {
        var pod = Single(Manifests(Render("prod", ("tts.model.volume", "image"))), "Deployment", "pattern-tts-service").Mapping("spec.template.spec");

        Assert.Null(pod.Find("initContainers"));
        Assert.DoesNotContain(Sequence(pod, "volumes").Cast<YamlMappingNode>(), v => v.Scalar("name") == "models");
    }

    [Theory]
    [InlineData("tts.model.volume", "hostPath", "tts.model.volume must be image, emptyDir or pvc")]
    [InlineData("tts.model.download.variant", "int4", "tts.model.download.variant must be")]
    [InlineData("router.rollout.percentage", 150.0, "router.rollout.percentage must be 0-100")]
    [InlineData("router.rollout.phase", 4.0, "router.rollout.phase must be 1, 2 or 3")]
    [InlineData("tts.image.tag", "latest", "pin an image tag")]
    public void InvalidValuesFailTheRenderWithAMessageNamingTheKey(string key, object value, string message)
    {
        var error = Assert.Throws<TemplateException>(() => Render("default", (key, value)));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void NotesRenderThePortForwardCommands()
    {
        var notes = Render("prod")["NOTES.txt"];

        Assert.Contains("kubectl port-forward -n pattern-agentic svc/pattern-tts-service 8205:80", notes);
        Assert.Contains("kubectl port-forward -n pattern-agentic svc/pattern-tts-router 8200:80", notes);
        Assert.Contains("kubectl create secret generic pattern-tts-router-admin", notes);
    }

    [Fact]
    public void ServiceMonitorScrapesTheServiceAndRouterMetricsInProd()
    {
        var monitor = Single(Manifests(Render("prod")), "ServiceMonitor", "pattern-tts");

        var endpoint = Assert.IsType<YamlMappingNode>(Assert.Single(Sequence(monitor, "spec.endpoints")));
        var components = Assert.IsType<YamlMappingNode>(Sequence(monitor, "spec.selector.matchExpressions").Single());

        Assert.Equal("/metrics", endpoint.Scalar("path"));
        Assert.Equal("management", endpoint.Scalar("port"));
        Assert.Equal(["service", "router"], Sequence(components, "values").Cast<YamlScalarNode>().Select(s => s.Value));
        Assert.DoesNotContain(Manifests(Render("dev")), m => m.Manifest.Scalar("kind") == "ServiceMonitor");
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void ServiceAndRouterServeMetricsOnANamedManagementPortTheirServicesExpose(string profile)
    {
        var manifests = Manifests(Render(profile));

        foreach (var (deployment, container, service) in new[]
                 {
                     ("pattern-tts-service", "tts", "pattern-tts-service"),
                     ("pattern-tts-router", "router", "pattern-tts-router"),
                 })
        {
            var pod = Single(manifests, "Deployment", deployment).Mapping("spec.template.spec");
            var ports = Sequence(Container(pod, container), "ports").Cast<YamlMappingNode>().ToList();
            var management = ports.Single(p => p.Scalar("name") == "management");
            var servicePorts = Sequence(Single(manifests, "Service", service), "spec.ports").Cast<YamlMappingNode>();

            Assert.Equal(management.Scalar("containerPort"), Env(Container(pod, container), "Management__Port"));
            Assert.NotEqual(ports.Single(p => p.Scalar("name") == "http").Scalar("containerPort"), management.Scalar("containerPort"));
            Assert.Contains(servicePorts, p => p.Scalar("targetPort") == "management");
        }
    }

    [Fact]
    public void GpuValuesScheduleTheGpuImageOnGpuNodesWithOneGpuPerPod()
    {
        var pod = Single(Manifests(Render("prod", ("tts.gpu.enabled", true))), "Deployment", "pattern-tts-service").Mapping("spec.template.spec");
        var tts = Container(pod, "tts");

        Assert.EndsWith("-gpu", tts.Scalar("image"));
        Assert.Equal("true", Env(tts, "USE_GPU"));
        Assert.Equal("1", Key(tts.Mapping("resources.limits"), "nvidia.com/gpu"));
        Assert.NotNull(tts.Find("resources.requests.cpu"));
        Assert.Equal("true", Key(pod.Mapping("nodeSelector"), "nvidia.com/gpu.present"));
        Assert.Contains(Sequence(pod, "tolerations").Cast<YamlMappingNode>(), t => t.Scalar("key") == "nvidia.com/gpu");
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void WithoutGpuValuesThePodAsksForNoGpuAndRunsTheCpuImage(string profile)
    {
        var pod = Single(Manifests(Render(profile)), "Deployment", "pattern-tts-service").Mapping("spec.template.spec");
        var tts = Container(pod, "tts");

        Assert.DoesNotContain("-gpu", tts.Scalar("image"));
        Assert.Null(Key(tts.Mapping("resources.limits"), "nvidia.com/gpu"));
        Assert.Null(pod.Find("tolerations"));
    }

    [Theory]
    [InlineData("default")]
    [InlineData("dev")]
    [InlineData("prod")]
    public void HelmTestRunsTheSelftestOnTheModelTheServiceReads(string profile)
    {
        // Arrange
        var manifests = Manifests(Render(profile));
        var service = Single(manifests, "Deployment", "pattern-tts-service").Mapping("spec.template.spec");
        var test = Single(manifests, "Pod", "pattern-tts-selftest");

        // Act
        var pod = test.Mapping("spec");
        var selftest = Container(pod, "selftest");
        var tts = Container(service, "tts");
        static string? ModelMount(YamlMappingNode container) =>
            Sequence(container, "volumeMounts").Cast<YamlMappingNode>().SingleOrDefault(m => m.Scalar("name") == "models")?.Scalar("mountPath");
        static string? ModelSource(YamlMappingNode podSpec) =>
            podSpec.Find("volumes") is YamlSequenceNode volumes
                ? volumes.Cast<YamlMappingNode>().SingleOrDefault(v => v.Scalar("name") == "models")?.Children.Keys
                    .Cast<YamlScalarNode>().Select(k => k.Value).Single(k => k != "name")
                : null;

        // Assert
        Assert.Equal("test", Key(test.Mapping("metadata.annotations"), "helm.sh/hook"));
        Assert.Equal("Never", pod.Scalar("restartPolicy"));
        Assert.Equal(["selftest"], Sequence(selftest, "args").Cast<YamlScalarNode>().Select(a => a.Value));
        Assert.Equal(tts.Scalar("image"), selftest.Scalar("image"));
        Assert.Equal(
            Sequence(tts, "envFrom").Cast<YamlMappingNode>().Single().Scalar("configMapRef.name"),
            Sequence(selftest, "envFrom").Cast<YamlMappingNode>().Single().Scalar("configMapRef.name"));
        Assert.Equal(ModelMount(tts), ModelMount(selftest));
        Assert.Equal(ModelSource(service), ModelSource(pod));
        Assert.Equal(service.Find("initContainers") is null, pod.Find("initContainers") is null);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void TheRoutersAndSpeechServicesShareARedisInTheReleaseThatOnlyTheyReach(string profile)
    {
        // Arrange
        var manifests = Manifests(Render(profile));
        var redis = Single(manifests, "Deployment", "pattern-tts-redis");
        var service = Single(manifests, "Service", "pattern-tts-redis");
        var router = Single(manifests, "Deployment", "pattern-tts-router").Mapping("spec.template");
        var speech = Single(manifests, "Deployment", "pattern-tts-service").Mapping("spec.template");

        // Act
        var connection = Env(Container(router, "router"), "ConnectionStrings__redis");
        var cacheConnection = Env(Container(speech, "tts"), "ConnectionStrings__redis");
        var redisPod = redis.Mapping("spec.template");
        var port = Sequence(service, "spec.ports").Cast<YamlMappingNode>().Single();

        // Assert
        Assert.Equal($"pattern-tts-redis:{port.Scalar("port")}", connection);
        Assert.Equal(connection, cacheConnection);
        Assert.True(Selects(service.Mapping("spec.selector"), redisPod.Mapping("metadata.labels")));
        Assert.Equal("true", Container(redisPod, "redis").Scalar("securityContext.readOnlyRootFilesystem"));
        Assert.Contains("--save", Sequence(Container(redisPod, "redis"), "args").Cast<YamlScalarNode>().Select(a => a.Value));
        if (profile == "dev")
        {
            Assert.DoesNotContain(manifests, m => m.Manifest.Scalar("kind") == "NetworkPolicy");
            return;
        }

        var policy = Single(manifests, "NetworkPolicy", "pattern-tts-redis");
        var peers = Sequence(Assert.IsType<YamlMappingNode>(Assert.Single(Sequence(policy, "spec.ingress"))), "from").Cast<YamlMappingNode>().ToArray();
        Assert.True(Selects(policy.Mapping("spec.podSelector.matchLabels"), redisPod.Mapping("metadata.labels")));
        Assert.Equal(2, peers.Length);
        Assert.True(Selects(peers[0].Mapping("podSelector.matchLabels"), router.Mapping("metadata.labels")));
        Assert.True(Selects(peers[1].Mapping("podSelector.matchLabels"), speech.Mapping("metadata.labels")));
        Assert.False(Selects(peers[1].Mapping("podSelector.matchLabels"), router.Mapping("metadata.labels")));
        Assert.All(peers, peer => Assert.Null(peer.Find("namespaceSelector")));
    }

    [Fact]
    public void AnExternalRedisSuchAsElastiCacheReplacesTheReleasesOwn()
    {
        var manifests = Manifests(Render("prod", ("redis.mode", "external"), ("redis.external.endpoint", "cache.example.use1.cache.amazonaws.com:6379,ssl=true")));
        var router = Single(manifests, "Deployment", "pattern-tts-router").Mapping("spec.template");

        Assert.Equal("cache.example.use1.cache.amazonaws.com:6379,ssl=true", Env(Container(router, "router"), "ConnectionStrings__redis"));
        Assert.DoesNotContain(manifests, m => m.Manifest.Scalar("metadata.name") == "pattern-tts-redis");
    }

    [Fact]
    public void AnExternalRedisCanComeFromASecret()
    {
        var manifests = Manifests(Render("prod", ("redis.mode", "external"), ("redis.external.connectionStringSecret.name", "rollout-redis")));
        var router = Single(manifests, "Deployment", "pattern-tts-router").Mapping("spec.template");

        var variable = Sequence(Container(router, "router"), "env").Cast<YamlMappingNode>().Single(e => e.Scalar("name") == "ConnectionStrings__redis");

        Assert.Equal("rollout-redis", variable.Scalar("valueFrom.secretKeyRef.name"));
        Assert.Equal("connection-string", variable.Scalar("valueFrom.secretKeyRef.key"));
    }

    [Fact]
    public void PersistentRedisKeepsAnAppendOnlyFileOnAClaim()
    {
        var manifests = Manifests(Render("prod", ("redis.persistence.enabled", true)));
        var pod = Single(manifests, "Deployment", "pattern-tts-redis").Mapping("spec.template.spec");

        Assert.Contains("--appendonly", Sequence(Container(pod, "redis"), "args").Cast<YamlScalarNode>().Select(a => a.Value));
        Assert.Equal("pattern-tts-redis", Sequence(pod, "volumes").Cast<YamlMappingNode>().Single().Scalar("persistentVolumeClaim.claimName"));
        Assert.Equal("ReadWriteOnce", Sequence(Single(manifests, "PersistentVolumeClaim", "pattern-tts-redis"), "spec.accessModes").Cast<YamlScalarNode>().Single().Value);
    }

    [Theory]
    [InlineData("none", null)]
    [InlineData("external", "redis.mode external needs redis.external.endpoint")]
    [InlineData("cluster", "redis.mode must be internal, external or none")]
    public void WithoutASharedStoreTheRouterGetsNoConnectionAndBadModesFailTheRender(string mode, string? failure)
    {
        if (failure is not null)
        {
            Assert.Contains(failure, Assert.Throws<TemplateException>(() => Render("prod", ("redis.mode", mode))).Message);
            return;
        }

        var manifests = Manifests(Render("prod", ("redis.mode", mode)));
        var router = Single(manifests, "Deployment", "pattern-tts-router").Mapping("spec.template");
        Assert.DoesNotContain(Sequence(Container(router, "router"), "env").Cast<YamlMappingNode>(), e => e.Scalar("name") == "ConnectionStrings__redis");
        Assert.DoesNotContain(manifests, m => m.Manifest.Scalar("metadata.name") == "pattern-tts-redis");
    }

    [Fact]
    public void TheMigrationDashboardAndAlertRulesShipWithTheChart()
    {
        // Arrange
        var manifests = Manifests(Render("prod"));
        var dashboard = Single(manifests, "ConfigMap", "pattern-tts-grafana-dashboard");
        var rule = Single(manifests, "PrometheusRule", "pattern-tts-migration");

        // Act
        using var json = JsonDocument.Parse(Key(dashboard.Mapping("data"), "pattern-tts-migration.json")!);
        var expressions = json.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()).ToList();
        var alerts = Sequence(Assert.IsType<YamlMappingNode>(Sequence(rule, "spec.groups").Single()), "rules").Cast<YamlMappingNode>().ToList();

        // Assert
        Assert.Equal("1", Key(dashboard.Mapping("metadata.labels"), "grafana_dashboard"));
        Assert.True(expressions.Count >= 10);
        Assert.All(expressions, e => Assert.Contains("pattern_router_", e));
        Assert.Equal(["PatternTtsNewArmSloBreach", "PatternTtsRolloutRolledBack", "PatternTtsProgressionStalled", "PatternTtsRolloutStoreDegraded"],
            alerts.Select(a => a.Scalar("alert")));
        Assert.DoesNotContain(Manifests(Render("dev")), m => m.Manifest.Scalar("kind") == "PrometheusRule");
    }

    [Fact]
    public void AnotherReleaseNameKeepsTheContractServiceName()
    {
        var manifests = Manifests(MiniHelm.Render(Repo.ChartDir, [ValuesFile("prod")], releaseName: "tts-canary"));

        Assert.Equal("tts-canary-pattern-tts-service", Single(manifests, "Deployment", "tts-canary-pattern-tts-service").Scalar("metadata.name"));
        Assert.Equal("pattern-tts-service", Single(manifests, "Service", "pattern-tts-service").Scalar("metadata.name"));
    }

    private static string ValuesFile(string profile) => Path.Combine(Repo.ChartDir, $"values-{profile}.yaml");

    private static IReadOnlyDictionary<string, string> Render(string profile, params (string Key, object? Value)[] set) =>
        MiniHelm.Render(
            Repo.ChartDir,
            profile == "default" ? [] : [ValuesFile(profile)],
            set: set.ToDictionary(s => s.Key, s => s.Value));

    private static List<(string File, YamlMappingNode Manifest)> Manifests(IReadOnlyDictionary<string, string> rendered)
    {
        var manifests = new List<(string, YamlMappingNode)>();
        foreach (var (file, text) in rendered.Where(r => r.Key.EndsWith(".yaml", StringComparison.Ordinal)))
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (YamlDotNet.Core.YamlException ex)
            {
                Assert.Fail($"{file} does not render to valid YAML ({ex.Message}):\n{text}");
            }

            manifests.AddRange(stream.Documents.Select(d => (file, Assert.IsType<YamlMappingNode>(d.RootNode))));
        }

        return manifests;
    }

    private static YamlMappingNode Single(List<(string File, YamlMappingNode Manifest)> manifests, string kind, string name)
    {
        var matches = manifests.Where(m => m.Manifest.Scalar("kind") == kind && m.Manifest.Scalar("metadata.name") == name).ToList();
        Assert.True(matches.Count == 1, $"expected one {kind} {name}, found {matches.Count}");
        return matches[0].Manifest;
    }

    private static YamlMappingNode Container(YamlMappingNode podTemplateOrSpec, string name)
    {
        var spec = podTemplateOrSpec.Find("spec") is YamlMappingNode inner && inner.Find("containers") is not null ? inner : podTemplateOrSpec;
        return Sequence(spec, "containers").Cast<YamlMappingNode>().Single(c => c.Scalar("name") == name);
    }

    private static string Env(YamlMappingNode container, string name) =>
        Sequence(container, "env").Cast<YamlMappingNode>().Single(e => e.Scalar("name") == name).Scalar("value");

    private static YamlSequenceNode Sequence(YamlNode node, string path) =>
        Assert.IsType<YamlSequenceNode>(node.Find(path) ?? throw new KeyNotFoundException(path));

    /// <summary>A key that itself contains dots (labels, file names), which dotted paths cannot address.</summary>
    private static string? Key(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    private static bool Selects(YamlMappingNode selector, YamlMappingNode labels) =>
        selector.Children.Count > 0
        && selector.Children.All(p => labels.Children.TryGetValue(p.Key, out var value) && value.ToString() == p.Value.ToString());
}
