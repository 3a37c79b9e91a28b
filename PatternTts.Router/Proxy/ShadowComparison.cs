using System.Text.Json;

namespace PatternTts.Router.Proxy;

/// <summary>What an arm answered, as far as the comparison needs it (never the bytes: the voices differ by design).</summary>
internal sealed record AnswerFacts(int Status, string? MediaType, long Bytes, TimeSpan? Duration)
{
    public static AnswerFacts From(int status, AudioMeter? meter) => new(status, meter?.MediaType, meter?.Bytes ?? 0, meter?.Duration);
}

/// <summary>
/// Phase 1's evidence: for each mirrored request, does the new arm answer like the legacy answer the client got?
/// Same status class, same content type, and the same length of audio within a tolerance (WAV, PCM and MP3 by
/// duration, other formats by size). Counts by kind of mismatch, keeps the last few (method, path, voice, format,
/// both statuses and lengths, never the input text), and is the gate that lets phase 1 end.
/// </summary>
internal sealed class ShadowComparison(RouterMetrics metrics, IOptionsMonitor<RolloutOptions> options, TimeProvider time)
{
    public const int KeptMismatches = 10;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _byKind = new(StringComparer.Ordinal);
    private readonly Queue<ShadowMismatch> _recent = new();
    private long _compared;
    private long _matched;

    public void Compare(ShadowRequest request, AnswerFacts legacy, AnswerFacts shadow)
    {
        var kinds = Differences(legacy, shadow, options.CurrentValue);
        metrics.ShadowCompared(kinds.Count == 0 ? "match" : "mismatch", kinds);
        lock (_gate)
        {
            _compared++;
            if (kinds.Count == 0)
            {
                _matched++;
                return;
            }

            foreach (var kind in kinds)
            {
                _byKind[kind] = _byKind.GetValueOrDefault(kind) + 1;
            }

            var (voice, format) = Describe(request.Body);
            _recent.Enqueue(new ShadowMismatch(time.GetUtcNow(), request.Method, request.PathAndQuery.Split('?')[0], voice, format, [.. kinds],
                legacy.Status, shadow.Status, legacy.Duration?.TotalSeconds, shadow.Duration?.TotalSeconds, legacy.Bytes, shadow.Bytes));
            while (_recent.Count > KeptMismatches)
            {
                _recent.Dequeue();
            }
        }
    }

    public ShadowComparisonStatus Status()
    {
        lock (_gate)
        {
            var mismatched = _compared - _matched;
            return new ShadowComparisonStatus(_compared, _matched, mismatched, _compared == 0 ? 0 : (double)mismatched / _compared,
                new Dictionary<string, long>(_byKind, StringComparer.Ordinal), [.. _recent.Reverse()]);
        }
    }

    internal static List<string> Differences(AnswerFacts legacy, AnswerFacts shadow, RolloutOptions settings)
    {
        var kinds = new List<string>();
        if (legacy.Status / 100 != shadow.Status / 100)
        {
            kinds.Add("status");
            return kinds;
        }

        if (legacy.Status / 100 != 2)
        {
            return kinds;
        }

        if (!string.Equals(legacy.MediaType, shadow.MediaType, StringComparison.OrdinalIgnoreCase))
        {
            kinds.Add("content_type");
            return kinds;
        }

        if (legacy.Duration is { } a && shadow.Duration is { } b)
        {
            if (Apart(a.TotalSeconds, b.TotalSeconds, settings.ShadowDurationTolerance))
            {
                kinds.Add("duration");
            }
        }
        else if (Apart(legacy.Bytes, shadow.Bytes, settings.ShadowSizeTolerance))
        {
            kinds.Add("size");
        }

        return kinds;
    }

    private static bool Apart(double a, double b, double tolerance) =>
        Math.Max(a, b) > 0 && Math.Abs(a - b) / Math.Max(a, b) > tolerance;

    // The request's voice and format, read from its JSON; the input text is never kept.
    private static (string? Voice, string? Format) Describe(byte[] body)
    {
        if (body.Length == 0)
        {
            return (null, null);
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            var voice = root.TryGetProperty("voice", out var v)
                ? v.ValueKind == JsonValueKind.String ? v.GetString()
                : v.ValueKind == JsonValueKind.Object && v.TryGetProperty("id", out var id) ? id.GetString() : null
                : null;
            var format = root.TryGetProperty("response_format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
            return (voice, format);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
