using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PatternTts.Router.Tests;

/// <summary>
/// The chart's Grafana dashboard and alert rules, evaluated by a real Prometheus scraping a real router through a
/// migration (A/B traffic, shadow comparisons, a capability fallback, a progression): every panel's and rule's
/// PromQL must evaluate, and every metric it names must exist.
/// </summary>
public sealed partial class MonitoringTests(RouterFixture fixture) : IClassFixture<RouterFixture>
{
    [Fact]
    public async Task EveryDashboardPanelAndAlertRuleEvaluatesOnRealRouterMetrics()
    {
        // Arrange: a migration's worth of traffic.
        var alertsFile = RepoRoot.Combine("helm/pattern-tts/dashboards/alerts.yaml");
        await using var prometheus = await PrometheusServer.StartAsync([fixture.Client.BaseAddress!.Authority], alertsFile);
        fixture.Reset(0, phase: 1);
        fixture.Legacy.Audio = _ => ("audio/wav", FakeArm.Wav(1.0));
        fixture.New.Audio = _ => ("audio/wav", FakeArm.Wav(1.05));
        await SpeakManyAsync("shadow", 10);
        fixture.Reset(50);
        await SpeakManyAsync("split", 40);
        fixture.Reset(100);
        fixture.New.Refuse = FakeArm.RefuseJapanese;
        using (var japanese = fixture.Speech("japanese-user"))
        {
            japanese.Content = JsonContent.Create(new { model = "tts-1", input = "konnichiwa", voice = "jf_alpha" });
            using var response = await fixture.Client.SendAsync(japanese);
            Assert.Equal("legacy", response.Arm());
        }

        using (var start = await fixture.Client.SendAsync(fixture.Admin(HttpMethod.Post, "/admin/rollout/progression",
                   new { steps = new[] { 20, 100 }, interval_seconds = 60, min_samples = 1 })))
        {
            start.EnsureSuccessStatusCode();
        }

        var expressions = DashboardExpressions().Concat(AlertExpressions(alertsFile)).ToList();
        var named = expressions.SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).ToHashSet(StringComparer.Ordinal);

        // Act
        IReadOnlySet<string> present;
        try
        {
            present = await Eventually.WaitAsync(prometheus.MetricNamesAsync, names => named.IsSubsetOf(names),
                "Prometheus to hold every metric the dashboard and the rules name", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));
        }
        catch (TimeoutException)
        {
            // The assertion below names what is missing.
            present = await prometheus.MetricNamesAsync();
        }

        var results = new List<(string Expression, string Status, string? Error)>();
        foreach (var expression in expressions)
        {
            var (status, error) = await prometheus.QueryAsync(expression);
            results.Add((expression, status, error));
        }

        var rules = await Eventually.WaitAsync(prometheus.RulesAsync, r => r.Count == 4 && r.All(x => x.Health != "unknown"),
            "every rule to be evaluated once", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));

        // Assert
        Assert.Empty(named.Except(present));
        Assert.All(results, r => Assert.True(r.Status == "success", $"{r.Expression}: {r.Error}"));
        Assert.All(rules, r => Assert.True(r.Health == "ok", $"{r.Name}: {r.Error}"));
        Assert.True(expressions.Count >= 14);
    }

    private async Task SpeakManyAsync(string prefix, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var request = fixture.Speech($"{prefix}-user-{i}");
            using var response = await fixture.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static IEnumerable<string> DashboardExpressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepoRoot.Combine("helm/pattern-tts/dashboards/migration.json")));
        return [.. dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)];
    }

    private static IEnumerable<string> AlertExpressions(string file) =>
        File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.StartsWith("expr: ", StringComparison.Ordinal)).Select(l => l["expr: ".Length..]);

    [GeneratedRegex(@"\bpattern_router_[a-z0-9_]+")]
    private static partial Regex MetricName();
}
