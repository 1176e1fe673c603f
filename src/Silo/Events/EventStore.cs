using System.Globalization;
using OrleansFlow.Grains.Events;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Events;

/// <summary>The <c>events</c> table: stores events (idempotently, by id), tails them in <c>seq</c> order, filters and
/// counts them (Prefect 3's <c>/events/filter</c> and <c>/events/count-by</c>), and deletes old ones. Events of the
/// server's own changes (run state changes, …) are not written here but in the transaction of the change itself (see
/// <see cref="DbSession.Emit"/>); this class stores events that arrive on their own (clients' <c>POST /api/events</c>).</summary>
/// <param name="database">The database of the events.</param>
/// <param name="clock">The clock that stamps <see cref="Event.Received"/> and measures retention.</param>
public sealed partial class EventStore(Database database, TimeProvider clock)
{
    /// <summary>Stores <paramref name="events"/> in one transaction, each stamped <see cref="Event.Received"/> now; an
    /// event whose id is stored already is skipped (a client that sends the same event twice stores it once).</summary>
    /// <returns>How many events were new.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="events"/> is null.</exception>
    public Task<int> InsertAsync(IReadOnlyList<Event> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return Task.FromResult(0);
        }

        var now = clock.GetUtcNow();
        var received = events.Select(e => e with { Received = now }).ToList();
        return database.WriteAsync(async session => (await EventRows.InsertAsync(session, received, cancellationToken).ConfigureAwait(false)).Count,
            cancellationToken);
    }

    /// <summary>Stores <paramref name="events"/> exactly as given (their <see cref="Event.Received"/> included), in one
    /// transaction, skipping ids stored already: for seeding benchmarks and tests with events of the past.</summary>
    /// <returns>How many events were new.</returns>
    public Task<int> InsertAsReceivedAsync(IReadOnlyList<Event> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        return events.Count == 0
            ? Task.FromResult(0)
            : database.WriteAsync(async session => (await EventRows.InsertAsync(session, events, cancellationToken).ConfigureAwait(false)).Count,
                cancellationToken);
    }

    /// <summary>The stored events with a sequence number above <paramref name="seq"/>, lowest first, at most
    /// <paramref name="limit"/>. On SQLite rows commit in seq order, so calling it again with the last seq read never
    /// misses an event; on PostgreSQL a lower seq may still commit after this call returned a higher one (use
    /// <see cref="EventFeed"/>, which waits for such gaps, to tail the table).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not positive.</exception>
    public Task<IReadOnlyList<StoredEvent>> ReadAfterAsync(long seq, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return database.ReadAsync<IReadOnlyList<StoredEvent>>(async session =>
        {
            await using var command = session.Text($"SELECT {EventRows.Columns} FROM events e WHERE e.seq > @seq ORDER BY e.seq LIMIT @limit")
                .Add("seq", seq).Add("limit", limit);
            return await command.ListAsync(EventRows.Map, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>The stored events among the sequence numbers <paramref name="seqs"/> (at most 100 are asked at a time),
    /// lowest first: how a reader that went past a gap (a lower seq not committed yet) finds the events that filled it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">More than 100 sequence numbers.</exception>
    public Task<IReadOnlyList<StoredEvent>> ReadSeqsAsync(IReadOnlyList<long> seqs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seqs);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seqs.Count, MaxSeqsPerRead, nameof(seqs));
        if (seqs.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<StoredEvent>>([]);
        }

        return database.ReadAsync<IReadOnlyList<StoredEvent>>(async session =>
        {
            var names = string.Join(", ", seqs.Select((_, i) => "@s" + i.ToString(CultureInfo.InvariantCulture)));
            await using var command = session.Text($"SELECT {EventRows.Columns} FROM events e WHERE e.seq IN ({names}) ORDER BY e.seq");
            for (var i = 0; i < seqs.Count; i++)
            {
                command.Add("s" + i.ToString(CultureInfo.InvariantCulture), seqs[i]);
            }

            return await command.ListAsync(EventRows.Map, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>The most sequence numbers <see cref="ReadSeqsAsync"/> takes.</summary>
    public const int MaxSeqsPerRead = 100;

    /// <summary>The highest sequence number stored, or 0 when the table is empty: where a tail that wants only new
    /// events starts.</summary>
    public Task<long> LastSeqAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(async session =>
        {
            await using var command = session.Text("SELECT COALESCE(MAX(seq), 0) FROM events");
            return await command.CountAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Deletes up to <paramref name="batchSize"/> of the events that occurred before <paramref name="cutoff"/>
    /// (oldest first) with their resource rows, in one transaction.</summary>
    /// <returns>How many events were deleted: fewer than <paramref name="batchSize"/> means none older is left.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return database.WriteAsync(async session =>
        {
            // The newest time of the batch, then two range deletes on the indexed times: no list of ids to bind.
            DateTimeOffset? last;
            await using (var select = session.Text(
                "SELECT MAX(occurred) FROM (SELECT occurred FROM events WHERE occurred < @cutoff ORDER BY occurred LIMIT @limit) t")
                .Add("cutoff", cutoff).Add("limit", batchSize))
            {
                last = await select.FirstOrDefaultAsync(r => Rows.NullableTime(r, 0), cancellationToken).ConfigureAwait(false);
            }

            if (last is not { } through)
            {
                return 0;
            }

            await using (var resources = session.Text("DELETE FROM event_resources WHERE event_id IN (SELECT id FROM events WHERE occurred <= @through)")
                .Add("through", through))
            {
                await resources.ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var events = session.Text("DELETE FROM events WHERE occurred <= @through").Add("through", through);
            return await events.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }
}
