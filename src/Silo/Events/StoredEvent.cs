using OrleansFlow.Grains.Events;

namespace OrleansFlow.Silo.Events;

/// <summary>An event as stored, with its place in the <c>events</c> table.</summary>
/// <param name="Seq">The row's sequence number: it grows with each insert, so reading "after seq N" tails the table
/// (<see cref="EventStore.ReadAfterAsync"/>). On PostgreSQL a lower seq may commit after a higher one: see
/// <see cref="EventFeed"/> for the way gaps are waited for.</param>
/// <param name="Event">The event.</param>
public sealed record StoredEvent(long Seq, Event Event);
