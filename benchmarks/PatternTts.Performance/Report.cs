using System.Globalization;
using System.Text.Json;
using ScottPlot;
using Spectre.Console;

namespace PatternTts.Performance;

/// <summary>One measured figure, with the goal it is held against (null when it is reported, not judged).</summary>
public sealed record Figure(string Section, string Name, double Value, string Unit, string Goal, bool? Met);

/// <summary>One cell of the throughput matrix: seconds of audio per wall second at a concurrency and intra-op setting.</summary>
public sealed record ThroughputCell(int Concurrency, int IntraOpThreads, double AudioSecondsPerSecond);

/// <summary>Replicas needed for a request rate of fresh 100-word texts at a cache hit rate, by replica size.</summary>
public sealed record SizingRow(double CacheHitRate, double CoresNeeded, int Replicas4, int Replicas8, int Replicas16);

/// <summary>Collects the figures and writes them out: a table on the console, results.json, and PNG charts.</summary>
public sealed class Report(string directory)
{
    private readonly List<Figure> _figures = [];

    public List<ThroughputCell> Throughput { get; } = [];

    public List<SizingRow> Sizing { get; } = [];

    public Dictionary<string, double[]> Latencies { get; } = [];

    public Figure Add(string section, string name, double value, string unit, string goal = "", bool? met = null)
    {
        var figure = new Figure(section, name, value, unit, goal, met);
        _figures.Add(figure);
        AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(section)}[/] {Markup.Escape(name)}: [bold]{Format(value)}[/] {Markup.Escape(unit)} {Verdict(met)}");
        return figure;
    }

    public void Write(IReadOnlyDictionary<string, string> machine)
    {
        Directory.CreateDirectory(directory);
        var table = new Table().Border(TableBorder.Rounded).AddColumns("section", "figure", "value", "goal", "");
        foreach (var figure in _figures)
        {
            table.AddRow(
                Markup.Escape(figure.Section),
                Markup.Escape(figure.Name),
                Markup.Escape($"{Format(figure.Value)} {figure.Unit}"),
                Markup.Escape(figure.Goal),
                Verdict(figure.Met));
        }

        AnsiConsole.Write(table);

        var matrix = new Table().Border(TableBorder.Rounded).AddColumn("concurrency");
        var threadSettings = Throughput.Select(c => c.IntraOpThreads).Distinct().ToArray();
        foreach (var threads in threadSettings)
        {
            matrix.AddColumn($"intra-op {ThreadsName(threads)}");
        }

        foreach (var concurrency in Throughput.Select(c => c.Concurrency).Distinct())
        {
            matrix.AddRow([concurrency.ToString(CultureInfo.InvariantCulture),
                .. threadSettings.Select(t => Format(Throughput.Single(c => c.Concurrency == concurrency && c.IntraOpThreads == t).AudioSecondsPerSecond))]);
        }

        AnsiConsole.MarkupLine("[bold]Throughput, seconds of audio per wall second[/]");
        AnsiConsole.Write(matrix);

        var sizing = new Table().Border(TableBorder.Rounded).AddColumns("cache hit rate", "cores for 50 req/s", "4-core replicas", "8-core", "16-core");
        foreach (var row in Sizing)
        {
            sizing.AddRow($"{row.CacheHitRate:P0}", Format(row.CoresNeeded), $"{row.Replicas4}", $"{row.Replicas8}", $"{row.Replicas16}");
        }

        AnsiConsole.MarkupLine("[bold]Sizing for 50 requests/s of 100-word text[/]");
        AnsiConsole.Write(sizing);

        var json = Path.Combine(directory, "results.json");
        File.WriteAllText(json, JsonSerializer.Serialize(
            new { machine, figures = _figures, throughput = Throughput, sizing = Sizing, latencies = Latencies },
            new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        var chart = Path.Combine(directory, "throughput.png");
        WriteThroughputChart(chart, threadSettings);
        var latency = Path.Combine(directory, "latency.png");
        WriteLatencyChart(latency);
        AnsiConsole.MarkupLineInterpolated($"Wrote [bold]{json}[/], [bold]{chart}[/] and [bold]{latency}[/]");
    }

    private void WriteThroughputChart(string path, int[] threadSettings)
    {
        var plot = new Plot();
        foreach (var threads in threadSettings)
        {
            var cells = Throughput.Where(c => c.IntraOpThreads == threads).OrderBy(c => c.Concurrency).ToArray();
            var line = plot.Add.Scatter(cells.Select(c => (double)c.Concurrency).ToArray(), cells.Select(c => c.AudioSecondsPerSecond).ToArray());
            line.LegendText = $"intra-op threads {ThreadsName(threads)}";
        }

        plot.Title($"Cost model throughput on {Environment.ProcessorCount} cores");
        plot.XLabel("concurrent requests");
        plot.YLabel("seconds of audio per second");
        plot.Axes.SetLimitsY(0, Math.Max(0.1, Throughput.Max(c => c.AudioSecondsPerSecond) * 1.2));
        plot.ShowLegend();
        plot.SavePng(path, 800, 450);
    }

    private void WriteLatencyChart(string path)
    {
        var plot = new Plot();
        var position = 0;
        foreach (var (name, values) in Latencies)
        {
            var sorted = values.Order().ToArray();
            var bar = plot.Add.Bar(position, Percentile(sorted, 0.95));
            bar.LegendText = name;
            position++;
        }

        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, Latencies.Count).Select(i => (double)i).ToArray(), [.. Latencies.Keys]);
        plot.Title("p95 time to first audio, ms");
        plot.YLabel("ms");
        plot.Axes.Margins(bottom: 0);
        plot.SavePng(path, 800, 450);
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>0 stands for ONNX Runtime's own default (every core, spinning), -1 for every core without spinning.</summary>
    public static string ThreadsName(int threads) => threads switch
    {
        0 => "all cores, spinning (ONNX default)",
        -1 => "all cores, no spinning",
        _ => threads.ToString(CultureInfo.InvariantCulture),
    };

    private static string Format(double value) => Math.Abs(value) switch
    {
        >= 1000 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 100 => value.ToString("F0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("F1", CultureInfo.InvariantCulture),
        _ => value.ToString("F2", CultureInfo.InvariantCulture),
    };

    private static string Verdict(bool? met) => met switch
    {
        true => "[green]met[/]",
        false => "[red]not met[/]",
        null => "",
    };
}
