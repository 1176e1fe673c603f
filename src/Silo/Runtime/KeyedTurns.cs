using System.Collections.Concurrent;

namespace OrleansFlow.Silo.Runtime;

/// <summary>Turn-based access per grain key within this process: one call at a time per key, as an Orleans activation
/// would give. Entries live only while someone holds or awaits the key.</summary>
internal sealed class KeyedTurns
{
    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    public int ActiveKeys => _entries.Count;

    public async ValueTask<Turn> EnterAsync(Guid key, CancellationToken cancellationToken)
    {
        Entry entry;
        while (true)
        {
            entry = _entries.GetOrAdd(key, static _ => new Entry());
            lock (entry)
            {
                if (entry.Retired)
                {
                    continue;
                }

                entry.References++;
                break;
            }
        }

        try
        {
            await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(key, entry);
            throw;
        }

        return new Turn(this, key, entry);
    }

    private void Leave(Guid key, Entry entry)
    {
        lock (entry)
        {
            if (--entry.References == 0)
            {
                entry.Retired = true;
                _entries.TryRemove(new KeyValuePair<Guid, Entry>(key, entry));
            }
        }
    }

    internal sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int References { get; set; }

        public bool Retired { get; set; }
    }

    /// <summary>A held turn; disposing it lets the next caller of the key in.</summary>
    internal readonly struct Turn(KeyedTurns owner, Guid key, Entry entry) : IDisposable
    {
        public void Dispose()
        {
            entry.Gate.Release();
            owner.Leave(key, entry);
        }
    }
}
