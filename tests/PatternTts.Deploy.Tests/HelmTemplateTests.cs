using System.Text.RegularExpressions;
using PatternTts.Deploy.Tests.Infrastructure;

namespace PatternTts.Deploy.Tests;

/// <summary>
/// The chart's templates are not YAML until Helm renders them and no Helm binary runs here, so they are read as text:
/// Go-template structure, value references, and the properties each object must have.
/// </summary>
public sealed partial class HelmTemplateTests
{
    public static TheoryData<string> TemplateFiles =>
        [.. Directory.EnumerateFiles(Repo.TemplatesDir).Select(Path.GetFileName).OfType<string>().Order()];

    [Theory]
    [MemberData(nameof(TemplateFiles))]
    public void TemplateBlocksAndDelimitersAreBalanced(string file)
    {
        var errors = HelmTemplate.StructuralErrors(Repo.Template(file));

        Assert.True(errors.Count == 0, $"{file}: {string.Join("; ", errors)}");
    }

    [Fact]
    public void StructureCheckCatchesAnUnclosedBlockAndAStrayEnd()
    {
        var errors = HelmTemplate.StructuralErrors("{{- if .Values.a }}\nx: 1\n{{- with .Values.b }}\n{{- end }}\n");
        var stray = HelmTemplate.StructuralErrors("x: 1\n{{- end }}\n{{ include \"x\" (dict \"a\" 1 }}\n");

        Assert.Single(errors);
        Assert.Contains("'if' never closed", errors[0]);
        Assert.Equal(2, stray.Count);
    }

    [Theory]
    [MemberData(nameof(TemplateFiles))]
    public void EveryValuesReferenceExistsInValuesYaml(string file)
    {
        // Arrange
        var values = Yaml.LoadMapping("helm/pattern-tts/values.yaml");

        // Act
        var missing = HelmTemplate.ValuesReferences(Repo.Template(file)).Distinct().Where(p => values.Find(p) is null).ToList();

        // Assert
        Assert.True(missing.Count == 0, $"{file} references values that values.yaml lacks: {string.Join(", ", missing)}");
    }

    [Fact]
    public void ValuesReferenceScanFindsNestedAndRootedPaths()
    {
        var refs = HelmTemplate.ValuesReferences("a: {{ .Values.tts.config.port | int }}\n{{- range $.Values.router.extraEnv }}{{ end }}").ToList();

        Assert.Equal(["tts.config.port", "router.extraEnv"], refs);
    }

    [Fact]
    public void EveryIncludedTemplateIsDefined()
    {
        var files = Directory.EnumerateFiles(Repo.TemplatesDir).Select(File.ReadAllText).ToList();

        var defined = files.SelectMany(HelmTemplate.Defines).ToHashSet();
        var undefined = files.SelectMany(HelmTemplate.Includes).Distinct().Where(name => !defined.Contains(name)).ToList();

        Assert.Contains("pattern-tts.fullname", defined);
        Assert.True(undefined.Count == 0, $"included but never defined: {string.Join(", ", undefined)}");
    }

    [Fact]
    public void ServiceConfigMapCarriesEveryServiceYamlSettingAsItsVariable()
    {
        // Arrange
        var configMap = Repo.Template("tts-configmap.yaml");
        var variables = ServiceYamlVariables();

        // Assert
        Assert.NotEmpty(variables);
        foreach (var (key, variable) in variables)
        {
            Assert.Matches($@"(?m)^  {variable}: \{{\{{ \.Values\.tts\.config\.{key}\b", configMap);
        }

        Assert.Contains("configMapRef:", Repo.Template("tts-deployment.yaml"));
        Assert.Contains("checksum/config", Repo.Template("tts-deployment.yaml"));
    }

    [Theory]
    [InlineData("tts-deployment.yaml", "/alive", "/alive", "/ready")]
    [InlineData("router-deployment.yaml", "/alive", "/alive", "/ready")]
    [InlineData("legacy-deployment.yaml", "/health", "/health", "/health")]
    public void ProbesHitTheRealHealthEndpoints(string file, string startup, string liveness, string readiness)
    {
        var template = Repo.Template(file);

        Assert.Equal(startup, ProbePath(template, "startupProbe"));
        Assert.Equal(liveness, ProbePath(template, "livenessProbe"));
        Assert.Equal(readiness, ProbePath(template, "readinessProbe"));
    }

    [Theory]
    [InlineData("tts-deployment.yaml", "tts")]
    [InlineData("router-deployment.yaml", "router")]
    [InlineData("legacy-deployment.yaml", "legacy")]
    public void WorkloadRendersItsSecurityContextsResourcesAndNoServiceAccountToken(string file, string component)
    {
        var template = Repo.Template(file);

        Assert.Contains($"toYaml .Values.{component}.podSecurityContext | nindent 8", template);
        Assert.Contains($"toYaml .Values.{component}.securityContext | nindent 12", template);
        Assert.Contains($"toYaml .Values.{component}.resources | nindent 12", template);
        Assert.Contains("automountServiceAccountToken: false", template);
    }

    [Theory]
    [InlineData("tts-deployment.yaml")]
    [InlineData("router-deployment.yaml")]
    public void ReadOnlyRootWorkloadGetsAWritableTmp(string file)
    {
        var template = Repo.Template(file);

        Assert.Matches(@"- name: tmp\s+mountPath: /tmp", template);
        Assert.Matches(@"- name: tmp\s+emptyDir:", template);
    }

    [Fact]
    public void ServiceIsClusterIpFromPort80ToTheNamedContainerPort()
    {
        var service = Repo.Template("tts-service.yaml");
        var deployment = Repo.Template("tts-deployment.yaml");

        Assert.Contains("name: {{ .Values.tts.service.name }}", service);
        Assert.Contains("type: {{ .Values.tts.service.type }}", service);
        Assert.Contains("port: {{ .Values.tts.service.port }}", service);
        Assert.Contains("targetPort: http", service);
        Assert.Matches(@"- name: http\s+containerPort: \{\{ \.Values\.tts\.config\.port \}\}", deployment);
    }

    [Fact]
    public void ModelComesFromAVerifiedDownloadOrAVolume()
    {
        var deployment = Repo.Template("tts-deployment.yaml");

        // The init container runs the service's own download-model command (size + sha256 checked, atomic rename).
        Assert.Matches(
            @"initContainers:[\s\S]*command:\s+- dotnet\s+- PatternTts\.Service\.dll\s+- download-model\s+- --dest\s+- \{\{ \.Values\.tts\.config\.modelPath \| quote \}\}\s+- --variant",
            deployment);
        Assert.Contains("persistentVolumeClaim:", deployment);
        Assert.Matches(@"- name: models\s+mountPath: \{\{ \.Values\.tts\.config\.modelPath \}\}\s+readOnly: true", deployment);
        Assert.Contains("kind: PersistentVolumeClaim", Repo.Template("tts-pvc.yaml"));
    }

    [Fact]
    public void ServicePortComesFromTheConfigMapAlone()
    {
        var deployment = Repo.Template("tts-deployment.yaml");

        // ASPNETCORE_HTTP_PORTS would override TTS_PORT; the image clears it and the chart must not set it again.
        Assert.DoesNotContain("ASPNETCORE_HTTP_PORTS", deployment);
        Assert.Contains("ASPNETCORE_HTTP_PORTS", Repo.Template("router-deployment.yaml"));
    }

    [Fact]
    public void HorizontalPodAutoscalerScalesTheServiceOnCpu()
    {
        var hpa = Repo.Template("tts-hpa.yaml");
        var deployment = Repo.Template("tts-deployment.yaml");

        Assert.StartsWith("{{- if .Values.tts.autoscaling.enabled }}", hpa);
        Assert.Contains("apiVersion: autoscaling/v2", hpa);
        Assert.Matches(@"name: cpu\s+target:\s+type: Utilization", hpa);
        // With the HPA on, the Deployment must not fight it over the replica count.
        Assert.Matches(@"\{\{- if not \.Values\.tts\.autoscaling\.enabled \}\}\s+replicas:", deployment);
    }

    [Theory]
    [InlineData("tts-pdb.yaml", "service")]
    [InlineData("router-pdb.yaml", "router")]
    public void PodDisruptionBudgetKeepsAPodOfTheComponent(string file, string component)
    {
        var pdb = Repo.Template(file);

        Assert.Contains("apiVersion: policy/v1", pdb);
        Assert.Contains("kind: PodDisruptionBudget", pdb);
        Assert.Contains("minAvailable:", pdb);
        Assert.Contains($"\"component\" \"{component}\"", pdb);
    }

    [Theory]
    [InlineData("tts-networkpolicy.yaml", true)]
    [InlineData("legacy-networkpolicy.yaml", true)]
    [InlineData("router-networkpolicy.yaml", false)]
    public void NetworkPolicyAdmitsOnlyTheRouterAndTheGateway(string file, bool admitsRouter)
    {
        var policy = Repo.Template(file);
        var ingressPeers = Regex.Matches(policy, @"^\s+- (podSelector|namespaceSelector|ipBlock):", RegexOptions.Multiline);

        Assert.Contains("kind: NetworkPolicy", policy);
        Assert.Matches(@"policyTypes:\s+- Ingress", policy);
        Assert.Contains("include \"pattern-tts.gatewayPeer\"", policy);
        Assert.Equal(admitsRouter, policy.Contains("(dict \"context\" . \"component\" \"router\") | nindent 14"));
        // Only the router peer is written inline; the gateway and Prometheus peers come from the helpers.
        Assert.Equal(admitsRouter ? 1 : 0, ingressPeers.Count);
        Assert.DoesNotContain("ipBlock", policy);
    }

    [Fact]
    public void RolloutConfigMapIsMountedAsAReloadableFileNamedByRouterRolloutFile()
    {
        // Arrange
        var deployment = Repo.Template("router-deployment.yaml");
        var configMap = Repo.Template("router-configmap.yaml");

        // Assert
        Assert.Matches(@"- name: Router__ConfigFile\s+value: /config/rollout\.json", deployment);
        Assert.Matches(@"- name: rollout\s+mountPath: /config\s", deployment);
        Assert.Matches(@"- name: DOTNET_USE_POLLING_FILE_WATCHER\s+value: ""true""", deployment);
        // subPath mounts never see ConfigMap updates, and a checksum annotation would restart the router.
        Assert.DoesNotContain("subPath", deployment);
        Assert.DoesNotContain("checksum/", deployment);
        Assert.Contains("rollout.json: |", configMap);
        Assert.Contains("dict \"Rollout\" $rollout | toPrettyJson", configMap);
        foreach (var key in new[] { "\"Phase\"", "\"Percentage\"", "\"ShadowSampleRate\"", "\"AllowForcedArm\"" })
        {
            Assert.Contains(key, configMap);
        }
    }

    [Fact]
    public void RouterTakesItsAdminKeyFromASecretAndItsArmsFromTheReleaseServices()
    {
        var deployment = Repo.Template("router-deployment.yaml");
        var helpers = Repo.Template("_helpers.tpl");

        Assert.Matches(@"- name: Rollout__AdminKey\s+valueFrom:\s+secretKeyRef:", deployment);
        Assert.Contains("ReverseProxy__Clusters__new__Destinations__d1__Address", deployment);
        Assert.Contains("ReverseProxy__Clusters__legacy__Destinations__d1__Address", deployment);
        Assert.Contains(".Values.tts.service.name .Values.tts.service.port", helpers);
        Assert.Contains(".Values.legacy.service.name .Values.legacy.service.port", helpers);
        Assert.DoesNotContain("kind: Secret", string.Concat(Directory.EnumerateFiles(Repo.TemplatesDir).Select(File.ReadAllText)));
    }

    [Fact]
    public void LegacyWorkloadIsOptional()
    {
        foreach (var file in new[] { "legacy-deployment.yaml", "legacy-service.yaml" })
        {
            Assert.StartsWith("{{- if .Values.legacy.enabled }}", Repo.Template(file));
        }

        Assert.Contains("containerPort: {{ .Values.legacy.containerPort }}", Repo.Template("legacy-deployment.yaml"));
    }

    [Fact]
    public void ServiceMonitorIsOptionalAndScrapesMetrics()
    {
        var monitor = Repo.Template("servicemonitor.yaml");

        Assert.StartsWith("{{- if .Values.serviceMonitor.enabled }}", monitor);
        Assert.Contains("apiVersion: monitoring.coreos.com/v1", monitor);
        Assert.Contains("path: /metrics", monitor);
    }

    [Fact]
    public void NotesShowTheSeedPortForwardCommand()
    {
        var notes = Repo.Template("NOTES.txt");

        // Renders, with the default values, as: kubectl port-forward -n pattern-agentic svc/pattern-tts-service 8205:80
        Assert.Contains(
            "kubectl port-forward -n {{ .Release.Namespace }} svc/{{ .Values.tts.service.name }} {{ .Values.tts.config.port }}:{{ .Values.tts.service.port }}",
            notes);
        Assert.Contains("/admin/rollout", notes);
    }

    [Fact]
    public void EveryObjectIsNamespacedToTheRelease()
    {
        var objectFiles = Directory.EnumerateFiles(Repo.TemplatesDir, "*.yaml");

        foreach (var file in objectFiles)
        {
            Assert.Contains("namespace: {{ .Release.Namespace }}", File.ReadAllText(file));
        }
    }

    /// <summary>The <c>env</c> variable documented for each key of PatternTts.Service/service.yaml (its comment names it).</summary>
    private static IReadOnlyList<(string Key, string Variable)> ServiceYamlVariables()
    {
        var result = new List<(string, string)>();
        string? variable = null;
        foreach (var line in Repo.Read("PatternTts.Service/service.yaml").Split('\n'))
        {
            var comment = Regex.Match(line, @"^\s+#\s*(?<var>[A-Z][A-Z0-9_]+):");
            var key = Regex.Match(line, @"^  (?<key>[A-Za-z][A-Za-z0-9]*):");
            if (comment.Success)
            {
                variable = comment.Groups["var"].Value;
            }
            else if (key.Success)
            {
                var name = key.Groups["key"].Value;
                result.Add((name, variable ?? "TTS_" + Regex.Replace(name, "(?<!^)([A-Z])", "_$1").ToUpperInvariant()));
                variable = null;
            }
        }

        return result;
    }

    private static string ProbePath(string template, string probe)
    {
        var match = Regex.Match(template, $@"{probe}:\s+httpGet:\s+path: (?<path>\S+)");
        Assert.True(match.Success, $"no {probe} with an httpGet path");
        return match.Groups["path"].Value;
    }
}
