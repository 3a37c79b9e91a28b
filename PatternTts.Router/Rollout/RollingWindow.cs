namespace PatternTts.Router.Rollout;

internal readonly record struct Sample(DateTimeOffset At, bool Success, double LatencyMilliseconds, double? TtfbMilliseconds);

/// <summary>The most recent samples of one arm, bounded by count; callers choose the time span when they read it.</summary>
internal sealed class RollingWindow
{
    private readonly Lock _gate = new();
    private readonly Queue<Sample> _samples = new();

    public void Add(Sample sample, int maxSamples)
    {
        lock (_gate)
        {
            _samples.Enqueue(sample);
            while (_samples.Count > Math.Max(1, maxSamples))
            {
                _samples.Dequeue();
            }
        }
    }

    /// <summary>Takes the fleet's samples in place of this replica's own (the shared store's copy holds both).</summary>
    public void ReplaceWith(IEnumerable<Sample> samples)
    {
        lock (_gate)
        {
            _samples.Clear();
            foreach (var sample in samples.OrderBy(s => s.At))
            {
                _samples.Enqueue(sample);
            }
        }
    }

    public WindowSummary Summarize(DateTimeOffset since)
    {
        Sample[] samples;
        lock (_gate)
        {
            samples = _samples.Where(s => s.At >= since).ToArray();
        }

        if (samples.Length == 0)
        {
            return new WindowSummary(0, 1, 0, 0, 0);
        }

        var successes = samples.Count(s => s.Success);
        var latencies = samples.Select(s => s.LatencyMilliseconds).ToArray();
        var ttfbs = samples.Where(s => s.TtfbMilliseconds.HasValue).Select(s => s.TtfbMilliseconds!.Value).ToArray();
        return new WindowSummary(samples.Length, (double)successes / samples.Length, P95(latencies), P95(ttfbs), ttfbs.Length);
    }

    private static double P95(double[] values)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        Array.Sort(values);
        var rank = (int)Math.Ceiling(0.95 * values.Length) - 1;
        return values[Math.Clamp(rank, 0, values.Length - 1)];
    }
}
