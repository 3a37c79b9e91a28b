namespace PatternTts.Router.Proxy;

/// <summary>A legacy-served request copied for the new arm, with what legacy answered; the body was already buffered for failover.</summary>
internal sealed record ShadowRequest(
    string Method, string PathAndQuery, byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Headers, AnswerFacts Legacy);

/// <summary>
/// Mirrors sampled requests to the new arm after the client's response is done, discarding the answer but keeping
/// its outcome and latency. Concurrency is bounded by dropping samples, never by queueing, so a slow new arm cannot
/// build up memory or delay anything.
/// </summary>
internal sealed class ShadowMirror(
    IHttpClientFactory httpClientFactory,
    ArmAddresses addresses,
    SloMonitor slo,
    ShadowComparison comparison,
    RouterMetrics metrics,
    IOptionsMonitor<RolloutOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ShadowMirror> logger)
{
    public const string HttpClientName = "shadow";

    private static readonly string[] CopiedHeaders = ["Content-Type", "Accept", "Authorization", Arms.UserHeaderName, "traceparent", "tracestate"];

    private int _inFlight;
    private long _sent;
    private long _succeeded;
    private long _failed;
    private long _dropped;

    public bool ShouldSample()
    {
        var rate = options.CurrentValue.ShadowSampleRate;
        return rate >= 1 || (rate > 0 && Random.Shared.NextDouble() < rate);
    }

    public static IReadOnlyList<KeyValuePair<string, string>> CaptureHeaders(IHeaderDictionary headers)
    {
        var captured = new List<KeyValuePair<string, string>>(CopiedHeaders.Length);
        foreach (var name in CopiedHeaders)
        {
            if (headers.TryGetValue(name, out var value) && value.Count > 0)
            {
                captured.Add(new(name, value.ToString()));
            }
        }

        return captured;
    }

    /// <summary>Starts the mirror in the background; false when the concurrency bound dropped it.</summary>
    public bool TryMirror(ShadowRequest request)
    {
        if (Interlocked.Increment(ref _inFlight) > Math.Max(1, options.CurrentValue.ShadowMaxConcurrency))
        {
            Interlocked.Decrement(ref _inFlight);
            Interlocked.Increment(ref _dropped);
            metrics.ShadowCompleted("dropped", null);
            return false;
        }

        Interlocked.Increment(ref _sent);
        _ = Task.Run(() => SendAsync(request));
        return true;
    }

    public ShadowStatus Status(RolloutState state)
    {
        var settings = options.CurrentValue;
        return new ShadowStatus(
            state.ShadowEnabled,
            settings.ShadowSampleRate,
            settings.ShadowMaxConcurrency,
            Volatile.Read(ref _inFlight),
            Interlocked.Read(ref _sent),
            Interlocked.Read(ref _succeeded),
            Interlocked.Read(ref _failed),
            Interlocked.Read(ref _dropped),
            slo.SummarizeShadow(),
            comparison.Status());
    }

    private async Task SendAsync(ShadowRequest request)
    {
        var started = time.GetTimestamp();
        var success = false;
        string? cause = null;
        AnswerFacts? answer = null;
        try
        {
            var target = addresses.Resolve(Arm.New) ?? throw new InvalidOperationException("the new arm has no destination");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
            timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, options.CurrentValue.ShadowTimeoutSeconds)));

            using var message = new HttpRequestMessage(new HttpMethod(request.Method), ArmAddresses.Combine(target, request.PathAndQuery));
            if (request.Body.Length > 0)
            {
                message.Content = new ByteArrayContent(request.Body);
            }

            foreach (var (name, value) in request.Headers)
            {
                if (!message.Headers.TryAddWithoutValidation(name, value))
                {
                    message.Content?.Headers.TryAddWithoutValidation(name, value);
                }
            }

            message.Headers.TryAddWithoutValidation(Arms.ShadowHeaderName, "1");

            var client = httpClientFactory.CreateClient(HttpClientName);
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            // Reading to the end measures the whole synthesis, which is what the legacy latency is compared with,
            // and the audio it made, which is what the legacy answer is compared with.
            var meter = new AudioMeter(response.Content.Headers.ContentType?.MediaType);
            await using (var body = await response.Content.ReadAsStreamAsync(timeout.Token))
            {
                var buffer = new byte[16 * 1024];
                int read;
                while ((read = await body.ReadAsync(buffer, timeout.Token)) > 0)
                {
                    meter.Observe(buffer.AsSpan(0, read));
                }
            }

            answer = AnswerFacts.From((int)response.StatusCode, meter);
            success = (int)response.StatusCode < 500;
            cause = success ? null : $"status {(int)response.StatusCode}";
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or InvalidOperationException)
        {
            cause = ex.GetType().Name + ": " + ex.Message;
        }
        finally
        {
            // Window first, counters last: whoever sees the counter move must also find the sample.
            var elapsed = time.GetElapsedTime(started);
            slo.RecordShadow(success, elapsed);
            metrics.ShadowCompleted(success ? "success" : "failure", elapsed);
            // An arm that never answered differs from legacy's answer by its status.
            comparison.Compare(request, request.Legacy, answer ?? new AnswerFacts(0, null, 0, null));
            Interlocked.Increment(ref success ? ref _succeeded : ref _failed);
            Interlocked.Decrement(ref _inFlight);
        }

        if (cause is not null)
        {
            RouterLog.ShadowFailed(logger, cause);
        }
    }
}
