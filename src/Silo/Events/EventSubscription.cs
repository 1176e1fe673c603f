using System.Threading.Channels;

namespace OrleansFlow.Silo.Events;

/// <summary>A subscription to the <see cref="EventFeed"/>: the events stored after <see cref="StartSeq"/> that match its
/// predicate, in seq order. Dispose it to end it.</summary>
public sealed class EventSubscription : IAsyncDisposable
{
    private readonly ChannelReader<StoredEvent> _reader;
    private readonly Action _end;
    private int _ended;

    internal EventSubscription(long startSeq, ChannelReader<StoredEvent> reader, Action end)
    {
        StartSeq = startSeq;
        _reader = reader;
        _end = end;
    }

    /// <summary>The feed's position when the subscription began: events with a higher seq are delivered. A caller that
    /// backfills from <see cref="EventStore"/> first (as the events WebSocket does) skips the ids it already sent.</summary>
    public long StartSeq { get; }

    /// <summary>The delivered events until the subscription ends or <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <exception cref="EventFeedOverflowException">The reader fell too far behind.</exception>
    public IAsyncEnumerable<StoredEvent> ReadAllAsync(CancellationToken cancellationToken = default) => _reader.ReadAllAsync(cancellationToken);

    /// <summary>Waits for the next delivered event.</summary>
    /// <returns>The event, or null when the subscription ended.</returns>
    /// <exception cref="EventFeedOverflowException">The reader fell too far behind.</exception>
    public async ValueTask<StoredEvent?> ReadAsync(CancellationToken cancellationToken = default) =>
        await _reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) && _reader.TryRead(out var stored) ? stored : null;

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _end();
        }

        return ValueTask.CompletedTask;
    }
}
