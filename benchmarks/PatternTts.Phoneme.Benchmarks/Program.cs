using System.Globalization;
using System.Text.Json;
using PatternTts.Service.Phonemes;
using PatternTts.Service.Synthesis.Espeak;
using Spectre.Console;

// How close our phonemes come to the ones Kokoro v1.0 was trained on: misaki's gold lexicon. Bring the lexicon
// yourself (hexgrad/misaki, misaki/data/us_gold.json or gb_gold.json; it is not shipped here), then:
//   dotnet run -c Release --project benchmarks/PatternTts.Phoneme.Benchmarks -- <gold.json> [a|b] [words] [seed]
// It samples plain lowercase words, phonemizes each alone through the service's espeak-ng path, and prints the
// share that matches the gold entry exactly, the share within one symbol, and every symbol outside misaki's set.
if (args.Length < 1 || !File.Exists(args[0]))
{
    AnsiConsole.MarkupLine("[red]usage:[/] -- <us_gold.json|gb_gold.json> [[a|b]] [[words, default 2000]] [[seed, default 1]]");
    return 2;
}

var language = KokoroLanguage.All[args.ElementAtOrDefault(1)?[0] ?? 'a'];
var count = int.Parse(args.ElementAtOrDefault(2) ?? "2000", CultureInfo.InvariantCulture);
var seed = int.Parse(args.ElementAtOrDefault(3) ?? "1", CultureInfo.InvariantCulture);
var allowed = language.Code == 'a' ? PhonemePostProcessor.AmericanSymbols : PhonemePostProcessor.BritishSymbols;

using var json = JsonDocument.Parse(File.ReadAllBytes(args[0]));
var words = json.RootElement.EnumerateObject()
    .Where(e => e.Value.ValueKind == JsonValueKind.String && e.Name.Length > 1 && e.Name.All(char.IsAsciiLetterLower))
    .Select(e => (Word: e.Name, Gold: V1Rewrite(e.Value.GetString()!)))
    .OrderBy(e => e.Word, StringComparer.Ordinal)
    .ToList();
var sample = words.ToList();
new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(sample));
sample = sample.Take(count).ToList();

var phonemizer = new EspeakPhonemizer(new EspeakLibrary());
var exact = 0;
var nearly = 0;
var outside = new Dictionary<char, int>();
var misses = new List<(string Word, string Ours, string Gold)>();
await AnsiConsole.Progress().StartAsync(async progress =>
{
    var task = progress.AddTask($"phonemizing {sample.Count} words ({language.Name})", maxValue: sample.Count);
    foreach (var (word, gold) in sample)
    {
        var ours = (await phonemizer.PhonemizeAsync(word, language, CancellationToken.None)).Trim();
        if (ours == gold)
        {
            exact++;
        }
        else
        {
            misses.Add((word, ours, gold));
        }

        if (Distance(ours, gold) <= 1)
        {
            nearly++;
        }

        foreach (var c in ours.Where(c => !allowed.Contains(c) && c != ' '))
        {
            outside[c] = outside.GetValueOrDefault(c) + 1;
        }

        task.Increment(1);
    }
});

var table = new Table().AddColumns("figure", "value");
table.AddRow("words sampled", $"{sample.Count} of {words.Count} (seed {seed})");
table.AddRow("exactly as misaki's gold", $"{100.0 * exact / sample.Count:F1} %");
table.AddRow("within one symbol", $"{100.0 * nearly / sample.Count:F1} %");
table.AddRow("symbols outside misaki's set",
    outside.Count == 0 ? "none" : string.Join(", ", outside.OrderByDescending(o => o.Value).Select(o => $"{o.Key} (U+{(int)o.Key:X4}) x{o.Value}")));
AnsiConsole.Write(table);
var examples = new Table().AddColumns("word", "ours", "gold");
foreach (var (word, ours, gold) in misses.Take(15))
{
    examples.AddRow(Markup.Escape(word), Markup.Escape(ours), Markup.Escape(gold));
}

AnsiConsole.Write(examples);
return 0;

// Kokoro v1.0 hears misaki's lexicon after its last rewrite: the flap as T, the glottal stop as t.
static string V1Rewrite(string phonemes) => phonemes.Replace('ɾ', 'T').Replace('ʔ', 't');

static int Distance(string a, string b)
{
    var previous = Enumerable.Range(0, b.Length + 1).ToArray();
    for (var i = 1; i <= a.Length; i++)
    {
        var current = new int[b.Length + 1];
        current[0] = i;
        for (var j = 1; j <= b.Length; j++)
        {
            current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        }

        previous = current;
    }

    return previous[b.Length];
}
