namespace OrleansFlow.Silo.Events;

/// <summary>Settings of the <see cref="EventFeed"/>.</summary>
public sealed class EventFeedOptions
{
    /// <summary>How often the feed looks for events stored by other processes. Default: 500 ms (this process's own
    /// commits wake it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long the feed waits, on PostgreSQL, for a missing seq to commit before it moves past it. Default: 2 s
    /// (a group commit of the server lasts milliseconds; a seq whose transaction rolled back never fills).</summary>
    public TimeSpan GapTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Events read per query. Default: 500.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Events a subscriber may fall behind before it is ended. Default: 10,000.</summary>
    public int SubscriberBuffer { get; set; } = 10_000;

    /// <summary>Fails with a message naming the setting when one is out of range.</summary>
    /// <exception cref="InvalidOperationException">A setting is out of range.</exception>
    public void Validate()
    {
        if (PollInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("EventFeedOptions.PollInterval must be positive.");
        }

        if (GapTimeout < TimeSpan.Zero)
        {
            throw new InvalidOperationException("EventFeedOptions.GapTimeout must not be negative.");
        }

        if (BatchSize <= 0 || SubscriberBuffer <= 0)
        {
            throw new InvalidOperationException("EventFeedOptions.BatchSize and SubscriberBuffer must be positive.");
        }
    }
}
