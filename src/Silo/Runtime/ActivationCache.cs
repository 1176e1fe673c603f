using System.Collections.Concurrent;

namespace OrleansFlow.Silo.Runtime;

/// <summary>The in-memory state of recently used grains, with the row version it was read or written at: what an
/// Orleans activation keeps. A grain call that finds its state here skips the read. Writes stay conditional on the
/// version, so a stale entry (another server or process wrote meanwhile) is caught: the call drops the entry and runs
/// again on fresh data. Entries live a short time so that answers that write nothing are never stale for long, and the
/// cache is bounded.</summary>
/// <typeparam name="T">The grain's state record.</typeparam>
internal sealed class ActivationCache<T>(TimeProvider clock, TimeSpan timeToLive, int capacity)
    where T : class
{
    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    public int Count => _entries.Count;

    public bool TryGet(Guid id, out T value, out long version)
    {
        if (_entries.TryGetValue(id, out var entry))
        {
            if (entry.ExpiresAt > clock.GetTimestamp())
            {
                (value, version) = (entry.Value, entry.Version);
                return true;
            }

            _entries.TryRemove(new KeyValuePair<Guid, Entry>(id, entry));
        }

        (value, version) = (null!, 0);
        return false;
    }

    /// <summary>Records the state of <paramref name="id"/> as committed at <paramref name="version"/>. Call only after
    /// the transaction that wrote (or read) it has committed.</summary>
    public void Set(Guid id, T value, long version)
    {
        if (timeToLive <= TimeSpan.Zero)
        {
            return;
        }

        if (_entries.Count >= capacity)
        {
            // Rare and cheap: forgetting state costs one read per grain on its next call.
            _entries.Clear();
        }

        var expiresAt = clock.GetTimestamp() + (long)(timeToLive.TotalSeconds * clock.TimestampFrequency);
        _entries[id] = new Entry(value, version, expiresAt);
    }

    public void Remove(Guid id) => _entries.TryRemove(id, out _);

    private sealed record Entry(T Value, long Version, long ExpiresAt);
}
