namespace OrleansFlow.Testing;

/// <summary>A clock that only moves when the test moves it. Thread-safe.</summary>
/// <param name="start">The initial time; default 2024-01-01T00:00:00Z.</param>
public sealed class ManualClock(DateTimeOffset? start = null) : TimeProvider
{
    private long _utcTicks = (start ?? new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)).UtcTicks;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Moves the clock forward by <paramref name="by"/> (backward when negative) and returns the new time.</summary>
    public DateTimeOffset Advance(TimeSpan by) => new(Interlocked.Add(ref _utcTicks, by.Ticks), TimeSpan.Zero);

    /// <summary>Sets the clock to <paramref name="now"/>.</summary>
    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _utcTicks, now.UtcTicks);
}
