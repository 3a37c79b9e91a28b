using System.Text.Json;
using StackExchange.Redis;

namespace PatternTts.Router.Rollout;

/// <summary>
/// The rollout state as one JSON value in Redis. A Lua script compares the version, writes and publishes in one
/// step, so a change and its announcement can never be split by another replica's write.
/// </summary>
internal sealed class RedisRolloutStateShare(IConnectionMultiplexer redis, RouterReplica replica, TimeProvider time) : IRolloutStateShare
{
    public const string StateKey = "pattern-tts:rollout:state";
    public const string ChangesChannel = "pattern-tts:rollout:changes";
    private const int MaxAttempts = 16;

    // KEYS[1] state; ARGV[1] expected version; ARGV[2] next state; ARGV[3] channel. Returns what the key holds after.
    private const string CompareAndSetScript = """
        local current = redis.call('GET', KEYS[1])
        local version = 0
        if current then version = tonumber(cjson.decode(current)['version']) end
        if version ~= tonumber(ARGV[1]) then return current end
        redis.call('SET', KEYS[1], ARGV[2])
        redis.call('PUBLISH', ARGV[3], ARGV[2])
        return ARGV[2]
        """;

    public string Kind => "redis";

    private IDatabase Database => redis.GetDatabase();

    public async Task<RolloutState?> ReadAsync(CancellationToken cancellationToken)
    {
        var value = await Database.StringGetAsync(StateKey).WaitAsync(cancellationToken);
        return value.IsNullOrEmpty ? null : Deserialize(value!);
    }

    public async Task<RolloutState> SeedAsync(RolloutState initial, CancellationToken cancellationToken)
    {
        var seeded = initial with { Version = Math.Max(1, initial.Version) };
        await Database.StringSetAsync(StateKey, Serialize(seeded), when: When.NotExists).WaitAsync(cancellationToken);
        return await ReadAsync(cancellationToken) ?? seeded;
    }

    public async Task<RolloutState> UpdateAsync(Func<RolloutState, RolloutState?> transition, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await ReadAsync(cancellationToken)
                ?? throw new InvalidOperationException("The shared rollout state has not been seeded.");
            if (transition(current) is not { } next)
            {
                return current;
            }

            next = next with { Version = current.Version + 1, Replica = replica.Name, ChangedAt = time.GetUtcNow() };
            var written = Serialize(next);
            var result = (string?)await Database.ScriptEvaluateAsync(CompareAndSetScript, [StateKey],
                [current.Version, written, ChangesChannel]).WaitAsync(cancellationToken);
            if (result == written)
            {
                return next;
            }
        }

        throw new InvalidOperationException($"The rollout state changed under {MaxAttempts} attempts in a row; try again.");
    }

    public async Task SubscribeAsync(Action<RolloutState> changed, CancellationToken cancellationToken)
    {
        var channel = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(ChangesChannel)).WaitAsync(cancellationToken);
        channel.OnMessage(message =>
        {
            if (!message.Message.IsNullOrEmpty)
            {
                changed(Deserialize(message.Message!));
            }
        });
    }

    private static string Serialize(RolloutState state) => JsonSerializer.Serialize(state, RouterJsonContext.Default.RolloutState);

    private static RolloutState Deserialize(string json) =>
        JsonSerializer.Deserialize(json, RouterJsonContext.Default.RolloutState)
        ?? throw new InvalidDataException("The shared rollout state is empty.");
}

/// <summary>Names this router in logs and in the shared state: <c>Rollout:ReplicaName</c>, else host name (the pod) and process id.</summary>
internal sealed class RouterReplica(IOptions<RolloutOptions> options)
{
    public string Name { get; } = string.IsNullOrWhiteSpace(options.Value.ReplicaName)
        ? $"{Environment.MachineName}/{Environment.ProcessId}"
        : options.Value.ReplicaName;
}
