namespace PatternTts.Router.Rollout;

/// <summary>
/// Where a fleet of routers keeps its one rollout state. Changes are compare-and-set on <see cref="RolloutState.Version"/>,
/// so two operators acting at once never lose an update, and each change is announced to every replica.
/// </summary>
internal interface IRolloutStateShare
{
    /// <summary>What /health and the logs call it: <c>redis</c>.</summary>
    string Kind { get; }

    /// <summary>The shared state, or null when the store is empty.</summary>
    Task<RolloutState?> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="initial"/> only when the store is empty; returns what the store holds afterwards.</summary>
    Task<RolloutState> SeedAsync(RolloutState initial, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="transition"/> to the shared state and commits it as the next version, retrying when
    /// another replica changed it in between. A transition that returns null changes nothing; the current state comes back.
    /// </summary>
    Task<RolloutState> UpdateAsync(Func<RolloutState, RolloutState?> transition, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="changed"/> with every state another replica (or this one) commits.</summary>
    Task SubscribeAsync(Action<RolloutState> changed, CancellationToken cancellationToken);
}

/// <summary>The shared store cannot be reached: admin writes are refused (503) while routing goes on with the last state.</summary>
internal sealed class RolloutStoreUnavailableException(string kind, Exception inner)
    : Exception($"The shared rollout store ({kind}) cannot be reached: {inner.Message}", inner);
