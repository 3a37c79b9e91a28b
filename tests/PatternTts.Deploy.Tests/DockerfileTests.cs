using System.Text.RegularExpressions;
using PatternTts.Deploy.Tests.Infrastructure;

namespace PatternTts.Deploy.Tests;

/// <summary>
/// No Docker engine runs on these machines, so the images are checked by reading their Dockerfiles: stages, user,
/// health check, ports, native packages, voices and model handling.
/// </summary>
public sealed class DockerfileTests
{
    private const string ServiceDockerfile = "docker/Dockerfile";
    private const string RouterDockerfile = "docker/Dockerfile.router";
    private const string GpuDockerfile = "docker/Dockerfile.gpu";

    public static TheoryData<string> Dockerfiles => [ServiceDockerfile, RouterDockerfile, GpuDockerfile];

    public static TheoryData<string> ServiceDockerfiles => [ServiceDockerfile, GpuDockerfile];

    [Theory]
    [InlineData(ServiceDockerfile)]
    [InlineData(RouterDockerfile)]
    public void ImageBuildsOnTheSdkAndRunsOnTheAspNetRuntime(string path)
    {
        // Arrange
        var dockerfile = Dockerfile.Load(path);

        // Act
        var final = dockerfile.Final;
        var publishStage = dockerfile.Stages.Single(s => s.All("RUN").Any(r => r.Arguments.Contains("dotnet publish")));

        // Assert
        Assert.True(dockerfile.Stages.Count >= 2, "multi-stage: a build stage and a runtime stage");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", publishStage.BaseImage);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", final.BaseImage);
        Assert.Contains(final.All("COPY"), c => c.Arguments.Contains($"--from={publishStage.Name}"));
        Assert.DoesNotContain(final.All("RUN"), r => r.Arguments.Contains("dotnet publish") || r.Arguments.Contains("dotnet build"));
    }

    [Fact]
    public void GpuImageBuildsWithTheCudaProviderAndRunsTheAspNetRuntimeOnCuda()
    {
        // Arrange
        var dockerfile = Dockerfile.Load(GpuDockerfile);

        // Act
        var final = dockerfile.Final;
        var publish = dockerfile.Stages.Single(s => s.All("RUN").Any(r => r.Arguments.Contains("dotnet publish")));
        var runtime = dockerfile.Stages.Single(s => s.BaseImage.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", StringComparison.Ordinal));

        // Assert
        Assert.All(publish.All("RUN").Where(r => r.Arguments.Contains("dotnet ")), r => Assert.Contains("-p:OnnxRuntimeGpu=true", r.Arguments));
        Assert.Matches(@"^nvidia/cuda:12\.\d+\.\d+-cudnn-runtime-ubuntu24\.04$", final.BaseImage);
        Assert.Contains(final.All("COPY"), c => c.Arguments.Contains($"--from={runtime.Name}") && c.Arguments.Contains("/usr/share/dotnet"));
        Assert.Contains(final.All("COPY"), c => c.Arguments.Contains($"--from={publish.Name}"));
        Assert.Equal("true", final.Environment["USE_GPU"]);
        Assert.Contains(final.All("RUN"), r => r.Arguments.Contains("useradd --uid 1654"));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void EveryBaseImageIsPinnedAndNoneIsLatest(string path)
    {
        var dockerfile = Dockerfile.Load(path);

        foreach (var stage in dockerfile.Stages)
        {
            var image = stage.BaseImage;
            Assert.False(image.Contains('$'), $"{path}: base image '{image}' must be literal");
            var tag = image.Contains('@') ? image[(image.IndexOf('@') + 1)..] : image[(image.LastIndexOf('/') + 1)..].Split(':').ElementAtOrDefault(1);
            Assert.False(string.IsNullOrEmpty(tag), $"{path}: base image '{image}' has no tag");
            Assert.NotEqual("latest", tag);
        }
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void FinalStageRunsAsANumericNonRootUser(string path)
    {
        var user = Dockerfile.Load(path).Final.Last("USER");

        Assert.NotNull(user);
        // Numeric, so Kubernetes runAsNonRoot can verify it without a passwd lookup.
        var uid = int.Parse(user.Arguments.Split(':')[0]);
        Assert.NotEqual(0, uid);
    }

    [Theory]
    [InlineData(ServiceDockerfile, "8205")]
    [InlineData(RouterDockerfile, "8200")]
    [InlineData(GpuDockerfile, "8205")]
    public void ImageExposesItsPortAndHealthChecksItThroughAHealthEndpoint(string path, string port)
    {
        // Arrange
        var final = Dockerfile.Load(path).Final;

        // Act
        var exposed = final.All("EXPOSE").SelectMany(e => e.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var healthcheck = final.Last("HEALTHCHECK");

        // Assert
        Assert.Contains(port, exposed.Select(p => p.Split('/')[0]));
        // The base image listens on 8080 unless told otherwise; the service reads TTS_PORT only when that is cleared.
        Assert.Equal(path == RouterDockerfile ? port : "", final.Environment["ASPNETCORE_HTTP_PORTS"]);
        Assert.NotNull(healthcheck);
        Assert.Contains(" CMD ", $" {healthcheck.Arguments} ");
        Assert.Matches(@"http://127\.0\.0\.1:(\$\{TTS_PORT:-8205\}|" + port + @")/(alive|ready)", healthcheck.Arguments);
        // The health check's tool must be installed in the runtime stage.
        Assert.Contains(final.All("RUN"), r => r.Arguments.Contains("apt-get install") && Regex.IsMatch(r.Arguments, @"\bcurl\b"));
    }

    [Theory]
    [MemberData(nameof(ServiceDockerfiles))]
    public void ServiceRuntimeInstallsTheNativeLibrariesTheServiceLoads(string path)
    {
        var install = string.Join(' ', Dockerfile.Load(path).Final.All("RUN")
            .Where(r => r.Arguments.Contains("apt-get install")).Select(r => r.Arguments));
        var packages = install.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains("libespeak-ng1", packages);
        Assert.Contains("espeak-ng-data", packages);
        Assert.Contains("libmp3lame0", packages);
        // libFLAC.so.12: "libflac12" on Debian 12, "libflac12t64" on Ubuntu 24.04 (the .NET 10 images' distro).
        Assert.Contains(packages, p => p is "libflac12" or "libflac12t64");
        Assert.Contains("ffmpeg", packages);
        Assert.Contains("--no-install-recommends", packages);
        Assert.Contains("rm -rf /var/lib/apt/lists/*", install);
    }

    [Theory]
    [MemberData(nameof(ServiceDockerfiles))]
    public void ServiceImageFetchesAndVerifiesTheKokoroVoicesAtBuildTime(string path)
    {
        // Arrange
        var dockerfile = Dockerfile.Load(path);
        var voices = dockerfile.Stages.Single(s => s.All("RUN").Any(r => r.Arguments.Contains("npm pack")));
        var run = voices.All("RUN").Single(r => r.Arguments.Contains("npm pack")).Arguments;

        // Act
        var copy = dockerfile.Final.All("COPY").Single(c => c.Arguments.Contains($"--from={voices.Name}"));

        // Assert
        Assert.Equal("1.2.1", voices.Args["KOKORO_JS_VERSION"]);
        Assert.Contains("kokoro-js@${KOKORO_JS_VERSION}", run);
        Assert.Matches("^[0-9a-f]{64}$", voices.Args["KOKORO_JS_SHA256"]);
        Assert.Contains("sha256sum -c", run);
        Assert.Contains("package/voices/*.bin", run);
        Assert.Contains("-eq 54", run);
        var destination = copy.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1].TrimEnd('/');
        Assert.Equal(destination, dockerfile.Final.Environment["TTS_VOICES_PATH"]);
    }

    [Theory]
    [InlineData("int8", "kokoro-v1.0.int8.onnx", "92361271", "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb")]
    [InlineData("fp32", "kokoro-v1.0.onnx", "325532387", "7d5df8ecf7d4b1878015a32686053fd0eebe2bc377234608764cc0ef3636a6c5")]
    public void ModelBakeInDownloadsTheVariantAndVerifiesSizeAndSha256(string variant, string file, string size, string sha256)
    {
        // Arrange
        var dockerfile = Dockerfile.Load(ServiceDockerfile);
        var model = dockerfile.Stages.Single(s => s.Args.ContainsKey("MODEL_VARIANT"));
        var run = string.Join(' ', model.All("RUN").Select(r => r.Arguments));

        // Act
        var branch = Regex.Match(run, $@"{variant}\)\s*file=(?<file>\S+?);\s*size=(?<size>\d+);\s*sha=(?<sha>[0-9a-f]+)");

        // Assert
        Assert.Equal("", model.Args["MODEL_VARIANT"]);
        Assert.True(branch.Success, $"no {variant} branch in the model stage");
        Assert.Equal(file, branch.Groups["file"].Value);
        Assert.Equal(size, branch.Groups["size"].Value);
        Assert.Equal(sha256, branch.Groups["sha"].Value);
        Assert.Contains("stat -c %s", run);
        Assert.Contains("sha256sum -c", run);
        Assert.Contains("thewh1teagle/kokoro-onnx/releases/download/model-files-v1.0", model.Args["MODEL_BASE_URL"]);
        Assert.Contains(dockerfile.Final.All("COPY"), c => c.Arguments.Contains($"--from={model.Name}") && c.Arguments.Contains("/models"));
    }

    [Theory]
    [MemberData(nameof(ServiceDockerfiles))]
    public void ServiceImageDefaultsMatchTheContainerLayout(string path)
    {
        var final = Dockerfile.Load(path).Final;

        var env = final.Environment;

        Assert.Equal("8205", env["TTS_PORT"]);
        Assert.Equal("/models/kokoro-v1.0", env["TTS_MODEL_PATH"]);
        Assert.Equal("/tmp/tts", env["TTS_TEMP_DIR"]);
        Assert.Equal("""["dotnet", "PatternTts.Service.dll"]""", final.Last("ENTRYPOINT")!.Arguments);
    }

    [Fact]
    public void RouterImageReloadsItsMountedRolloutFile()
    {
        var final = Dockerfile.Load(RouterDockerfile).Final;

        var env = final.Environment;

        Assert.Equal("/config/rollout.json", env["Router__ConfigFile"]);
        Assert.Equal("true", env["DOTNET_USE_POLLING_FILE_WATCHER"]);
        Assert.Equal("""["dotnet", "PatternTts.Router.dll"]""", final.Last("ENTRYPOINT")!.Arguments);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void EveryFileCopiedFromTheContextExistsAndIsNotDockerIgnored(string path)
    {
        // Arrange
        var dockerfile = Dockerfile.Load(path);
        var ignore = DockerIgnore.Load(".dockerignore");

        // Act
        var sources = dockerfile.Stages.SelectMany(s => s.All("COPY"))
            .Where(c => !c.Arguments.Contains("--from="))
            .SelectMany(c => c.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(a => !a.StartsWith("--"))
                .SkipLast(1))
            .ToList();

        // Assert
        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            var full = Repo.PathOf(source);
            Assert.True(File.Exists(full) || Directory.Exists(full), $"{path} copies '{source}', which is not in the repository");
            Assert.False(ignore.IsExcluded(source), $"{path} copies '{source}', which .dockerignore excludes");
        }
    }

    [Theory]
    [InlineData("PatternTts.Service/Program.cs", false)]
    [InlineData("PatternTts.Service/service.yaml", false)]
    [InlineData("Directory.Packages.props", false)]
    [InlineData(".voices/af_heart.bin", true)]
    [InlineData("models/kokoro-v1.0.onnx", true)]
    [InlineData("PatternTts.Service/bin/Release/net10.0/PatternTts.Service.dll", true)]
    [InlineData("PatternTts.Router/obj/project.assets.json", true)]
    [InlineData("artifacts/bin/x.dll", true)]
    [InlineData(".git/HEAD", true)]
    [InlineData("helm/pattern-tts/values.yaml", true)]
    public void DockerIgnoreKeepsOnlyBuildInputsInTheContext(string path, bool excluded)
    {
        var ignore = DockerIgnore.Load(".dockerignore");

        Assert.Equal(excluded, ignore.IsExcluded(path));
    }
}
