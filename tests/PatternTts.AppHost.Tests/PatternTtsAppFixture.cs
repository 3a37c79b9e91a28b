using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PatternTts.AppHost.Tests;

/// <summary>
/// Starts the whole AppHost once (service, two router replicas, legacy stand-in, redis-server) and shares it: a start costs four
/// .NET processes and DCP, far more than every test together on two cores.
/// </summary>
public sealed class PatternTtsAppFixture : IAsyncLifetime
{
    public const string AdminKey = "apphost-tests-admin-key-0123456789";
    public const string RouterResource = "router";
    public const string ServiceResource = "tts-service";
    public const string LegacyResource = "legacy-tts";

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private static readonly string[] ResourceNames = [ServiceResource, LegacyResource, RouterResource];

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app has not started.");

    /// <summary>A plain client on the router's endpoint: no resilience handler, so the router's own failover is what is seen.</summary>
    public HttpClient Router { get; private set; } = null!;

    public Uri RouterEndpoint { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.PatternTts_AppHost>(
            [
                "DOTNET_LAUNCH_PROFILE=http",
                "LegacyMode=standin",
                $"Parameters:router-admin-key={AdminKey}",
                "Parameters:rollout-percentage=50",
            ],
            (options, _) => options.DisableDashboard = true);

        // The arms listen directly (no DCP proxy) on fixed ports in a real run; here they take free ports so the
        // suite can run beside a developer's AppHost.
        foreach (var arm in new[] { ServiceResource, LegacyResource })
        {
            appHost.CreateResourceBuilder<ProjectResource>(arm).WithEndpoint("http", endpoint => endpoint.Port = null);
        }

        appHost.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            // Resource output is read through DumpLogsAsync when a start fails; on the console it drowns the results.
            .AddFilter("PatternTts.AppHost.Resources", LogLevel.Error)
            // Failing probes are expected while the failover test has the new arm stopped.
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));

        using (var buildCts = new CancellationTokenSource(BuildTimeout))
        {
            _app = await appHost.BuildAsync(buildCts.Token);
        }

        using var startCts = new CancellationTokenSource(StartTimeout);
        try
        {
            await App.StartAsync(startCts.Token);
            foreach (var resource in ResourceNames)
            {
                await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, startCts.Token);
            }
        }
        catch (OperationCanceledException ex)
        {
            throw new TimeoutException(
                $"The app did not become healthy within {StartTimeout}.{Environment.NewLine}{await DumpLogsAsync()}", ex);
        }

        RouterEndpoint = App.GetEndpoint(RouterResource, "http");
        Router = new HttpClient { BaseAddress = RouterEndpoint, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Router?.Dispose();
        if (_app is not null)
        {
            using var stopCts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await _app.StopAsync(stopCts.Token);
            }
            catch (OperationCanceledException)
            {
                // Disposal below still tears the processes down.
            }

            await _app.DisposeAsync();
        }
    }

    /// <summary>
    /// The router's replicas as the dashboard lists them: each instance's id (what a command clicked on its row runs
    /// against) and its own address, behind the shared endpoint.
    /// </summary>
    public async Task<IReadOnlyList<(string Id, Uri Address)>> RouterReplicasAsync(int expected, CancellationToken cancellationToken)
    {
        var replicas = new Dictionary<string, Uri>();
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        watch.CancelAfter(TimeSpan.FromSeconds(30));
        await foreach (var e in App.ResourceNotifications.WatchAsync(watch.Token))
        {
            if (e.Resource.Name == RouterResource
                && e.Snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == "ASPNETCORE_URLS")?.Value is { } urls)
            {
                replicas[e.ResourceId] = new Uri(urls.Split(';')[0]);
                if (replicas.Count == expected)
                {
                    break;
                }
            }
        }

        return [.. replicas.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Value))];
    }

    public Task<HttpResponseMessage> SendAdminAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken) =>
        SendAdminAsync(Router, method, path, json, cancellationToken);

    public static async Task<HttpResponseMessage> SendAdminAsync(HttpClient client, HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request, cancellationToken);
    }

    /// <summary>Puts the router in the A/B phase at the given share, as an operator would before a test step.</summary>
    public async Task SetRolloutAsync(int percentage, CancellationToken cancellationToken)
    {
        using (var phase = await SendAdminAsync(HttpMethod.Post, "/admin/rollout/phase", """{"phase":2}""", cancellationToken))
        {
            await EnsureSuccessAsync(phase, cancellationToken);
        }

        using (var put = await SendAdminAsync(HttpMethod.Put, "/admin/rollout", $$"""{"percentage":{{percentage}}}""", cancellationToken))
        {
            await EnsureSuccessAsync(put, cancellationToken);
        }

        // The change lands on one replica and reaches the other through Redis within a moment; a test step must
        // not start before both route by it.
        await WaitForEveryReplicaAsync(p => p == percentage, $"every router replica at {percentage}%", cancellationToken);
    }

    /// <summary>Waits until each router replica, asked directly, reports a percentage <paramref name="done"/> accepts.</summary>
    public async Task WaitForEveryReplicaAsync(Func<int, bool> done, string what, CancellationToken cancellationToken)
    {
        foreach (var (_, address) in await RouterReplicasAsync(2, cancellationToken))
        {
            using var client = new HttpClient { BaseAddress = address };
            await Eventually.WaitAsync(() => GetRolloutPercentageAsync(client, cancellationToken), done, what, TimeSpan.FromSeconds(5),
                cancellationToken: cancellationToken);
        }
    }

    public Task<int> GetRolloutPercentageAsync(CancellationToken cancellationToken) => GetRolloutPercentageAsync(Router, cancellationToken);

    public static async Task<int> GetRolloutPercentageAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var response = await SendAdminAsync(client, HttpMethod.Get, "/admin/rollout", json: null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        var state = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(cancellationToken);
        return state.GetProperty("percentage").GetInt32();
    }

    /// <summary>One short synthesis through the router as <paramref name="user"/>; returns the status, the serving arm and the body.</summary>
    public async Task<SpeechResult> SpeakAsync(string user, CancellationToken cancellationToken)
    {
        using var request = SpeechRequests.Post("Hi.");
        request.Headers.Add("X-Pattern-User", user);
        using var response = await Router.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var arm = response.Headers.TryGetValues("X-Pattern-Arm", out var values) ? values.FirstOrDefault() : null;
        return new SpeechResult((int)response.StatusCode, arm, body);
    }

    /// <summary>Polls a resource's own endpoint, not the router, until nothing accepts connections there.</summary>
    public async Task WaitUntilRefusingAsync(string resource, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var probe = new HttpClient { BaseAddress = App.GetEndpoint(resource, "http"), Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.WaitAsync(() => IsRefusingAsync(probe, cancellationToken), refusing => refusing, $"{resource} to refuse connections",
            timeout, TimeSpan.FromMilliseconds(200), cancellationToken);
    }

    private static async Task<bool> IsRefusingAsync(HttpClient probe, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await probe.GetAsync("/alive", cancellationToken);
            return false;
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError)
        {
            return true;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A process in the middle of shutting down may accept and never answer; try again.
            return false;
        }
    }

    public async Task<string> DumpLogsAsync()
    {
        var loggerService = App.Services.GetRequiredService<ResourceLoggerService>();
        var text = new StringBuilder();
        foreach (var resource in ResourceNames)
        {
            text.AppendLine($"--- {resource} (last lines) ---");
            var lines = new List<string>();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await foreach (var batch in loggerService.GetAllAsync(resource).WithCancellation(cts.Token))
                {
                    lines.AddRange(batch.Select(l => l.Content));
                }
            }
            catch (OperationCanceledException)
            {
                lines.Add("(log read timed out)");
            }

            foreach (var line in lines.TakeLast(40))
            {
                text.AppendLine(line);
            }
        }

        return text.ToString();
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        }
    }
}

public sealed record SpeechResult(int StatusCode, string? Arm, byte[] Body);

[CollectionDefinition(Name)]
public sealed class PatternTtsAppCollection : ICollectionFixture<PatternTtsAppFixture>
{
    public const string Name = "PatternTts app";
}
