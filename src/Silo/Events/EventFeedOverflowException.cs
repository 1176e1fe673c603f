namespace OrleansFlow.Silo.Events;

/// <summary>An <see cref="EventFeed"/> subscriber fell more events behind than its buffer holds and was ended.</summary>
public sealed class EventFeedOverflowException(int buffer)
    : Exception($"The event subscriber fell more than {buffer} events behind and was ended; subscribe again (and backfill from the store).");
