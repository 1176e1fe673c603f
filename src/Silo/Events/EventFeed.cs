using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OrleansFlow.Grains.Events;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Events;

/// <summary>The live feed of stored events for this process: it tails the <c>events</c> table in <c>seq</c> order and
/// hands each new event to the subscribers whose predicate it matches, so it sees the events of every process on the
/// database (a gateway, N silos on one PostgreSQL), not only this one's. It polls every <see cref="EventFeedOptions.PollInterval"/>,
/// and at once after a commit of this process that stored events.
/// <para>Ordering: subscribers get events in ascending <c>seq</c>, each once. On PostgreSQL a transaction that took a
/// lower seq may commit after one that took a higher seq; the feed then stops at the gap and waits up to
/// <see cref="EventFeedOptions.GapTimeout"/> for it to fill before it moves past it (a seq whose transaction rolled back
/// never fills). An event that commits later than that after a higher one is not delivered live (queries still find
/// it). On SQLite rows commit in seq order and gaps are skipped at once.</para>
/// <para>While nobody subscribes, the feed reads no events: a commit of this process moves its position to the seq the
/// commit reports, and the poll reads only the highest seq stored (for other processes' events), so that a subscriber
/// starts after the events stored before it came.</para></summary>
public sealed partial class EventFeed : IAsyncDisposable
{
    private readonly EventStore _store;
    private readonly Database _database;
    private readonly TimeProvider _clock;
    private readonly EventFeedOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly List<Subscriber> _subscribers = [];
    private readonly SemaphoreSlim _poll = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _nudge = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _position = -1;
    private long _gapSeq;
    private DateTimeOffset _gapSince;
    private Task? _loop;
    private int _disposed;

    /// <summary>Creates a feed over <paramref name="store"/>; <see cref="Start"/> begins the polling loop (tests call
    /// <see cref="RunOnceAsync"/> instead).</summary>
    /// <param name="store">The events.</param>
    /// <param name="database">The database whose commits of events wake the feed at once.</param>
    /// <param name="clock">Measures how long a gap has been waited for.</param>
    /// <param name="options">Poll interval, gap timeout, subscriber buffer.</param>
    /// <param name="logger">Reports failed polls.</param>
    public EventFeed(EventStore store, Database database, TimeProvider clock, EventFeedOptions options, ILogger<EventFeed> logger)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _store = store;
        _database = database;
        _clock = clock;
        _options = options;
        _logger = logger;
        _database.EventsCommitted += OnEventsCommitted;
    }

    /// <summary>The seq of the last event handed to subscribers (the feed's position), or -1 before the first poll.</summary>
    public long Position => Interlocked.Read(ref _position);

    /// <summary>Starts the polling loop (once; later calls do nothing). The feed starts after the last event stored at
    /// that time: earlier events are not delivered live (query them with <see cref="EventStore"/>).</summary>
    public void Start()
    {
        lock (_lock)
        {
            _loop ??= Task.Run(() => LoopAsync(_stopping.Token));
        }
    }

    /// <summary>Subscribes to the events stored from now on that match <paramref name="predicate"/> (all when null).
    /// Events whose seq is above <see cref="EventSubscription.StartSeq"/> are delivered, in seq order, each once. Dispose
    /// the subscription to end it.</summary>
    /// <param name="predicate">Which events to deliver; called on the feed's loop, so keep it fast and never throwing.</param>
    public EventSubscription Subscribe(Func<Event, bool>? predicate = null)
    {
        var channel = Channel.CreateBounded<StoredEvent>(new BoundedChannelOptions(_options.SubscriberBuffer)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        lock (_lock)
        {
            var start = Math.Max(Position, 0);
            var subscriber = new Subscriber(predicate ?? (_ => true), channel, start);
            _subscribers.Add(subscriber);
            return new EventSubscription(start, channel.Reader, () =>
            {
                lock (_lock)
                {
                    _subscribers.Remove(subscriber);
                }

                channel.Writer.TryComplete();
            });
        }
    }

    /// <summary>The events stored from now on that match <paramref name="predicate"/>, in seq order, until
    /// <paramref name="cancellationToken"/> is cancelled. A subscriber that falls more than
    /// <see cref="EventFeedOptions.SubscriberBuffer"/> events behind gets an <see cref="EventFeedOverflowException"/>.</summary>
    public async IAsyncEnumerable<StoredEvent> SubscribeAsync(Func<Event, bool>? predicate = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var subscription = Subscribe(predicate);
        await foreach (var stored in subscription.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return stored;
        }
    }

    /// <summary>One poll: reads the events after the feed's position, hands those before the first gap still waited for
    /// to the subscribers, and moves the position past them (and past a gap waited for longer than the gap timeout).</summary>
    /// <returns>How many events were handed on.</returns>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await _poll.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The first poll starts after the events stored so far. Nobody listens: move to the end without reading (and
            // parsing) the rows. Under the lock, so a subscriber that arrives meanwhile starts from the new position and
            // gets everything after it.
            var last = await _store.LastSeqAsync(cancellationToken).ConfigureAwait(false);
            if (Position < 0)
            {
                AdvanceTo(last);
            }

            lock (_lock)
            {
                if (_subscribers.Count == 0)
                {
                    AdvanceTo(last);
                    return 0;
                }
            }

            var delivered = 0;
            while (true)
            {
                var batch = await _store.ReadAfterAsync(Position, _options.BatchSize, cancellationToken).ConfigureAwait(false);
                var handed = Deliver(batch);
                delivered += handed;
                if (batch.Count < _options.BatchSize || handed < batch.Count)
                {
                    return delivered;
                }
            }
        }
        finally
        {
            _poll.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _database.EventsCommitted -= OnEventsCommitted;
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Channel.Writer.TryComplete();
            }

            _subscribers.Clear();
        }

        _stopping.Dispose();
        _poll.Dispose();
    }

    /// <summary>Hands on the events of <paramref name="batch"/> up to the first gap still waited for.</summary>
    private int Deliver(IReadOnlyList<StoredEvent> batch)
    {
        var handed = 0;
        foreach (var stored in batch)
        {
            var expected = Position + 1;
            if (stored.Seq > expected && !GapExpired(expected))
            {
                break;
            }

            Publish(stored);
            AdvanceTo(stored.Seq);
            handed++;
        }

        return handed;
    }

    /// <summary>True when the gap starting at <paramref name="seq"/> has been waited for long enough (at once on SQLite).</summary>
    private bool GapExpired(long seq)
    {
        var now = _clock.GetUtcNow();
        if (_gapSeq != seq)
        {
            (_gapSeq, _gapSince) = (seq, now);
        }

        var timeout = _database.Dialect == SqlDialect.Sqlite ? TimeSpan.Zero : _options.GapTimeout;
        if (now - _gapSince < timeout)
        {
            return false;
        }

        LogGapSkipped(_logger, seq, now - _gapSince);
        return true;
    }

    private void Publish(StoredEvent stored)
    {
        Subscriber[] subscribers;
        lock (_lock)
        {
            subscribers = [.. _subscribers];
        }

        foreach (var subscriber in subscribers)
        {
            bool matches;
            try
            {
                matches = subscriber.Predicate(stored.Event);
            }
            catch (Exception ex)
            {
                LogPredicateFailed(_logger, ex);
                matches = false;
            }

            // A subscriber that came while the position was moved past events still being handed on starts after them.
            if (matches && stored.Seq > subscriber.StartSeq && !subscriber.Channel.Writer.TryWrite(stored))
            {
                // The subscriber fell too far behind: it ends, rather than holding up every other one or growing without bound.
                subscriber.Channel.Writer.TryComplete(new EventFeedOverflowException(_options.SubscriberBuffer));
                lock (_lock)
                {
                    _subscribers.Remove(subscriber);
                }
            }
        }
    }

    /// <summary>A commit of this process stored events up to <paramref name="lastSeq"/>: with no subscriber the position
    /// moves there (nothing to read), otherwise the loop polls at once. Under the lock, as <see cref="Subscribe"/> is: a
    /// subscriber either came before (and the poll hands it the events) or after (and starts past them).</summary>
    private void OnEventsCommitted(long lastSeq)
    {
        lock (_lock)
        {
            if (_subscribers.Count == 0 && Position >= 0)
            {
                AdvanceTo(lastSeq);
                return;
            }
        }

        Nudge();
    }

    /// <summary>Moves the position forward to <paramref name="seq"/>; never back.</summary>
    private void AdvanceTo(long seq)
    {
        var current = Interlocked.Read(ref _position);
        while (seq > current)
        {
            var seen = Interlocked.CompareExchange(ref _position, seq, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private void Nudge() => Interlocked.Exchange(ref _nudge, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var nudged = Volatile.Read(ref _nudge).Task;
            try
            {
                await RunOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPollFailed(_logger, ex);
            }

            // Wait for the poll interval, a local commit of events, or (while a gap is waited for) a short while.
            var wait = _gapSeq > Position ? TimeSpan.FromMilliseconds(Math.Min(_options.PollInterval.TotalMilliseconds, 50)) : _options.PollInterval;
            try
            {
                await Task.WhenAny(nudged, Task.Delay(wait, _clock, cancellationToken)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Event feed poll failed")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Event feed moved past the gap at seq {Seq} after waiting {Waited}")]
    private static partial void LogGapSkipped(ILogger logger, long seq, TimeSpan waited);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "An event feed subscriber's predicate threw; the event is not delivered to it")]
    private static partial void LogPredicateFailed(ILogger logger, Exception exception);

    private sealed record Subscriber(Func<Event, bool> Predicate, Channel<StoredEvent> Channel, long StartSeq);
}
