using System.Collections.Concurrent;
using System.Globalization;
using StackExchange.Redis;

namespace PatternTts.Router.Rollout;

/// <summary>
/// The fleet's SLO evidence: every replica's samples of each arm in one capped Redis list, so each replica judges
/// the fleet's combined window rather than its own slice of the traffic.
/// </summary>
internal sealed class RedisSloSampleShare(IConnectionMultiplexer redis)
{
    public static string Key(Arm arm) => $"pattern-tts:slo:{arm.ClusterId()}";

    public async Task PushAsync(Arm arm, IReadOnlyList<Sample> samples, int max, CancellationToken cancellationToken)
    {
        var transaction = redis.GetDatabase().CreateTransaction();
        _ = transaction.ListLeftPushAsync(Key(arm), [.. samples.Select(Format)]);
        _ = transaction.ListTrimAsync(Key(arm), 0, max - 1);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Sample>> ReadAsync(Arm arm, int max, CancellationToken cancellationToken)
    {
        var values = await redis.GetDatabase().ListRangeAsync(Key(arm), 0, max - 1).WaitAsync(cancellationToken);
        return [.. values.Select(v => Parse(v!))];
    }

    private static RedisValue Format(Sample s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.At.UtcTicks}|{(s.Success ? 1 : 0)}|{s.LatencyMilliseconds:R}|{(s.TtfbMilliseconds is { } t ? t.ToString("R", CultureInfo.InvariantCulture) : "")}");

    private static Sample Parse(string value)
    {
        var parts = value.Split('|');
        return new Sample(
            new DateTimeOffset(long.Parse(parts[0], CultureInfo.InvariantCulture), TimeSpan.Zero),
            parts[1] == "1",
            double.Parse(parts[2], CultureInfo.InvariantCulture),
            parts[3].Length == 0 ? null : double.Parse(parts[3], CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// Every half second: pushes this replica's new samples, reads the fleet's back into the SLO windows, and judges
/// them, so a breach spread thinly over many replicas still trips the rollback. While Redis is unreachable the
/// windows keep this replica's own samples (bounded), and those are pushed when it answers.
/// </summary>
internal sealed class SloShareSync(
    SloMonitor slo, RedisSloSampleShare share, IOptionsMonitor<RolloutOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var max = Math.Max(1, options.CurrentValue.Rollback.MaxSamples);
            try
            {
                foreach (var arm in new[] { Arm.Legacy, Arm.New })
                {
                    if (slo.TakeOutbox(arm) is { Count: > 0 } pending && !await TryPushAsync(arm, pending, max, stoppingToken))
                    {
                        slo.ReturnToOutbox(arm, pending, max);
                    }
                }

                slo.AdoptFleetWindows(await share.ReadAsync(Arm.Legacy, max, stoppingToken), await share.ReadAsync(Arm.New, max, stoppingToken));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && e is RedisException or TimeoutException or InvalidOperationException)
            {
                // The replica's own window goes on judging; the next round retries.
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> TryPushAsync(Arm arm, IReadOnlyList<Sample> samples, int max, CancellationToken cancellationToken)
    {
        try
        {
            await share.PushAsync(arm, samples, max, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return false;
        }
    }
}

/// <summary>Samples this replica recorded and has not pushed yet, per arm, bounded so an outage cannot grow it.</summary>
internal sealed class SloOutbox
{
    private readonly ConcurrentQueue<Sample> _legacy = new();
    private readonly ConcurrentQueue<Sample> _new = new();

    public void Add(Arm arm, Sample sample, int max)
    {
        var queue = arm == Arm.New ? _new : _legacy;
        queue.Enqueue(sample);
        while (queue.Count > max && queue.TryDequeue(out _))
        {
        }
    }

    public List<Sample> Take(Arm arm)
    {
        var queue = arm == Arm.New ? _new : _legacy;
        var taken = new List<Sample>();
        while (queue.TryDequeue(out var sample))
        {
            taken.Add(sample);
        }

        return taken;
    }
}
