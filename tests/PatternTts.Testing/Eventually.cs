namespace PatternTts.Testing;

/// <summary>Bounded waits for background work (shadow traffic, reloads, a process stopping), never speed assertions.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Calls <paramref name="probe"/> until <paramref name="done"/> holds for its value; throws naming <paramref name="what"/> after the timeout.</summary>
    public static async Task<T> WaitAsync<T>(
        Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null, TimeSpan? interval = null, CancellationToken cancellationToken = default)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"Timed out waiting for {what}; last value: {value}");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }
}
