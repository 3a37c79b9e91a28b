using System.Globalization;
using System.Diagnostics;
using Spectre.Console;

namespace PatternTts.Service.SelfTest;

/// <summary>
/// <c>selftest</c>: loads the configured Kokoro model (TTS_MODEL_PATH, TTS_VOICES_PATH, as the service would),
/// speaks one sentence in every supported language through the real pipeline, checks each output, prints time to
/// first audio and real-time factor per sentence, and exits non-zero naming what is wrong.
/// </summary>
public static class SelfTestCommand
{
    public const string Name = "selftest";

    private const int Success = 0;
    private const int Failure = 1;

    /// <summary>One ordinary sentence per language espeak-ng can phonemize for Kokoro, with a clause mark in each.</summary>
    public static readonly IReadOnlyDictionary<char, string> Sentences = new Dictionary<char, string>
    {
        ['a'] = "The quick brown fox jumps over the lazy dog, and then it rests in the sun.",
        ['b'] = "Good morning; the weather in London is mild and bright today.",
        ['e'] = "Buenos días, hoy hace muy buen tiempo en la ciudad.",
        ['f'] = "Bonjour, il fait très beau aujourd'hui à Paris.",
        ['h'] = "नमस्ते, आज मौसम बहुत अच्छा है।",
        ['i'] = "Buongiorno, oggi il tempo è molto bello a Roma.",
        ['p'] = "Bom dia, hoje o tempo está muito bom na cidade.",
    };

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (Console.IsOutputRedirected)
        {
            // A log or a Helm test's output: wide enough that the table's rows stay on one line.
            AnsiConsole.Profile.Width = 200;
        }

        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.ClearProviders();
        builder.AddTtsServices();
        using var host = builder.Build();
        return await RunAsync(host.Services, () => host.StartAsync(cancellationToken), AnsiConsole.Console, cancellationToken);
    }

    internal static async Task<int> RunAsync(IServiceProvider services, Func<Task> start, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var models = services.GetRequiredService<KokoroModelHost>();
        await start();
        await models.WhenLoaded.WaitAsync(cancellationToken);
        if (models.State != ModelState.Ready)
        {
            console.MarkupLineInterpolated($"[red]selftest failed:[/] the Kokoro model is not loaded: {models.Reason}");
            return Failure;
        }

        var engine = services.GetRequiredService<KokoroEngine>();
        var voices = services.GetRequiredService<VoiceStore>();
        var table = new Table().AddColumns("language", "voice", "tokens", "audio s", "s/token", "speed 2", "first audio ms", "RTF", "result");
        var failures = new List<string>();
        foreach (var (code, text) in Sentences)
        {
            var language = KokoroLanguage.All[code];
            var voiceName = voices.AvailableVoices.FirstOrDefault(v => v.Length > 0 && v[0] == code);
            if (voiceName is null)
            {
                failures.Add($"{language.Name}: no voice starting with '{code}' in {voices.VoicesDirectory}");
                table.AddRow(language.Name, "-", "-", "-", "-", "-", "-", "-", "[red]no voice[/]");
                continue;
            }

            var voice = voices.Resolve(voiceName);
            var (spoken, firstAudio, elapsed, error) = await SpeakAsync(engine, text, voice, language, cancellationToken);
            var problems = error is not null ? [error] : SelfTestChecks.Problems(spoken!).ToList();
            failures.AddRange(problems.Select(p => $"{language.Name} ({voiceName}): {p}"));
            var seconds = spoken is null ? 0 : spoken.Samples.Length / (double)AudioConstants.SampleRate;
            table.AddRow(
                language.Name,
                voiceName,
                spoken?.PhonemeTokens.ToString(CultureInfo.InvariantCulture) ?? "-",
                seconds.ToString("0.00", CultureInfo.InvariantCulture),
                spoken is { PhonemeTokens: > 0 } ? (seconds / spoken.PhonemeTokens).ToString("0.000", CultureInfo.InvariantCulture) : "-",
                spoken is { Samples.Length: > 0 } ? (spoken.FastSamples / (double)spoken.Samples.Length).ToString("0.00", CultureInfo.InvariantCulture) : "-",
                firstAudio.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture),
                seconds > 0 ? (elapsed.TotalSeconds / seconds).ToString("0.00", CultureInfo.InvariantCulture) : "-",
                problems.Count == 0 ? "[green]ok[/]" : $"[red]{Markup.Escape(string.Join("; ", problems))}[/]");
        }

        console.Write(table);
        if (failures.Count > 0)
        {
            console.MarkupLine($"[red]selftest failed[/] ({failures.Count} problem{(failures.Count == 1 ? "" : "s")}):");
            foreach (var failure in failures)
            {
                console.MarkupLineInterpolated($"  - {failure}");
            }

            return Failure;
        }

        console.MarkupLineInterpolated($"[green]selftest passed[/]: {Sentences.Count} sentences, one per language, spoken and checked.");
        return Success;
    }

    /// <summary>Speaks the sentence at speed 1 (timed) and 2; a model that outputs NaN or Inf fails here, named.</summary>
    private static async Task<(SpokenSentence? Spoken, TimeSpan FirstAudio, TimeSpan Elapsed, string? Error)> SpeakAsync(
        KokoroEngine engine, string text, VoicePack voice, KokoroLanguage language, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var firstAudio = TimeSpan.Zero;
        try
        {
            var samples = new List<float>();
            var words = new List<WordTiming>();
            var tokens = 0;
            var job = new SpeechJob(text, voice, language, 1f, NormalizationOptions.Default, WordTimings: true);
            await foreach (var chunk in engine.SynthesizeAsync(job, cancellationToken))
            {
                if (firstAudio == TimeSpan.Zero && chunk.Samples.Length > 0)
                {
                    firstAudio = Stopwatch.GetElapsedTime(started);
                }

                var offset = samples.Count / (double)AudioConstants.SampleRate;
                words.AddRange((chunk.Words ?? []).Select(w => w with { StartTime = w.StartTime + offset, EndTime = w.EndTime + offset }));
                samples.AddRange(chunk.Samples);
                tokens += chunk.PhonemeTokens;
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            var fast = 0;
            await foreach (var chunk in engine.SynthesizeAsync(job with { Speed = 2f, WordTimings = false }, cancellationToken))
            {
                fast += chunk.Samples.Length;
            }

            return (new SpokenSentence([.. samples], fast, tokens, words), firstAudio, elapsed, null);
        }
        catch (InvalidDataException e)
        {
            return (null, firstAudio, Stopwatch.GetElapsedTime(started), $"NaN or Inf in the model's output: {e.Message}");
        }
    }
}
