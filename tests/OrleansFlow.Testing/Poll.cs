namespace OrleansFlow.Testing;

/// <summary>Waiting without sleeping blindly: poll a condition until it holds or a deadline passes.</summary>
public static class Poll
{
    /// <summary>The interval between two checks unless a caller gives one: 50 ms.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Checks <paramref name="condition"/> every <paramref name="interval"/> (default 50 ms) until it returns
    /// true.</summary>
    /// <param name="condition">The condition; an exception it throws propagates at once.</param>
    /// <param name="timeout">How long to keep trying.</param>
    /// <param name="what">What is awaited, for the failure message (e.g. "the server to answer /api/health").</param>
    /// <param name="interval">The time between checks; default <see cref="DefaultInterval"/>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="timeout"/>.</exception>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? interval = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition().ConfigureAwait(false))
            {
                return;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}.");
            }

            await Task.Delay(interval ?? DefaultInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Synchronous-condition overload of <see cref="UntilAsync(Func{Task{bool}}, TimeSpan, string, TimeSpan?, CancellationToken)"/>.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, TimeSpan? interval = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync(() => Task.FromResult(condition()), timeout, what, interval, cancellationToken);
    }
}
