namespace PatternTts.Service.Tests.SelfTest;

/// <summary>
/// The operator's <c>selftest</c>, run as the real process with a model file: it passes on a model that speaks
/// plausibly and fails, naming the reason, on models that are broken in the ways real exports and runtimes break.
/// </summary>
public sealed class SelfTestCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pattern-tts-selftest-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task PassesOnAModelThatSpeaksEveryLanguagePlausibly()
    {
        // The stand-in's amplitude adds the voice's style value, which real voices push past full scale: halved.
        var (exitCode, output) = await RunSelfTestAsync(StandInModelOptions.ExportB with { Gain = 0.5f });

        Assert.True(exitCode == 0, output);
        Assert.Contains("selftest passed", output);
        foreach (var language in SelfTestCommand.Sentences.Keys.Select(c => KokoroLanguage.All[c].Name))
        {
            Assert.Contains(language, output);
        }
    }

    public static TheoryData<string, string> BrokenModels => new()
    {
        { "silent", "silent" },
        { "nan", "NaN or Inf" },
        { "clipping", "clipped" },
    };

    [Theory]
    [MemberData(nameof(BrokenModels))]
    public async Task FailsOnABrokenModelNamingWhatIsWrong(string broken, string reason)
    {
        var options = broken switch
        {
            "silent" => StandInModelOptions.ExportA with { Gain = 0f },
            "nan" => StandInModelOptions.ExportA with { Gain = 0.5f, PoisonLastSample = float.NaN },
            _ => StandInModelOptions.ExportA with { Gain = 4f },
        };

        var (exitCode, output) = await RunSelfTestAsync(options);

        Assert.Equal(1, exitCode);
        Assert.Contains("selftest failed", output);
        Assert.Contains(reason, output);
    }

    [Fact]
    public async Task FailsWithoutAModelSayingWhereItLooked()
    {
        var (exitCode, output) = await RunSelfTestAsync(null);

        Assert.Equal(1, exitCode);
        Assert.Contains("the Kokoro model is not loaded", output);
        Assert.Contains("download-model", output);
    }

    private async Task<(int ExitCode, string Output)> RunSelfTestAsync(StandInModelOptions? model)
    {
        var path = model is null
            ? Path.Combine(_directory, "missing")
            : StandInModelBuilder.Write(Path.Combine(_directory, $"{Guid.NewGuid():N}.onnx"), model);
        await using var process = LocalProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "PatternTts.Service.dll"), SelfTestCommand.Name],
            new Dictionary<string, string>
            {
                ["TTS_MODEL_PATH"] = path,
                ["TTS_VOICES_PATH"] = RepoRoot.Combine(".voices"),
                ["TTS_TEMP_DIR"] = Path.Combine(_directory, "tmp"),
            });
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(120));
        return (exitCode, process.Output);
    }
}

public sealed class SelfTestChecksTests
{
    private static readonly float[] Tone = [.. Enumerable.Range(0, 24_000).Select(i => 0.3f * MathF.Sin(i / 10f))];

    private static readonly WordTiming[] InOrder = [new("one", 0.1, 0.4), new("two", 0.5, 0.9)];

    [Fact]
    public void PlausibleSpeechHasNoProblem()
    {
        Assert.Empty(SelfTestChecks.Problems(new SpokenSentence(Tone, Tone.Length / 2, 13, InOrder)));
    }

    [Theory]
    [InlineData(24_000, 13, "speed 2.0 gave 1.00 of the speed 1.0 duration")]
    [InlineData(12_000, 200, "implausible duration: 1.00 s for 200 phoneme tokens")]
    [InlineData(12_000, 2, "implausible duration: 1.00 s for 2 phoneme tokens")]
    public void ASpeedThatDoesNothingOrDurationsNoSpeechHasAreNamed(int fastSamples, int tokens, string problem)
    {
        var problems = SelfTestChecks.Problems(new SpokenSentence(Tone, fastSamples, tokens, InOrder));

        Assert.Contains(problems, p => p.StartsWith(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void TimestampsThatRunBackwardsAreNamedByTheirWord()
    {
        var problems = SelfTestChecks.Problems(new SpokenSentence(Tone, Tone.Length / 2, 13, [new("one", 0.5, 0.9), new("two", 0.1, 0.4)]));

        Assert.Contains("timestamps run backwards at 'two' (0.100-0.400 s)", problems);
    }
}
