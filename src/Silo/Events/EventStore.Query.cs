using System.Globalization;
using OrleansFlow.Grains.Events;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Events;

public sealed partial class EventStore
{
    /// <summary>Prefect 3 caps a page of <c>/events/filter</c> at 50 events.</summary>
    public const int MaxPageSize = 50;

    /// <summary>Prefect 3 refuses a time count of more than 1,000 buckets.</summary>
    public const int MaxBuckets = 1000;

    /// <summary>The widest bucket <c>count-by/time</c> makes: 100 years of 365.25 days.</summary>
    public const double MaxIntervalSeconds = 100 * 365.25 * 86400;

    private static readonly DateTimeOffset Pivot = new(2024, 4, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The events matching <paramref name="filter"/> (its times set: <see cref="EventFilter.WithDefaults"/>), in
    /// its order by occurred time, skipping <paramref name="offset"/> and taking up to <paramref name="limit"/>, with the
    /// number of all matching events.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> or <paramref name="offset"/> is negative.</exception>
    public Task<(IReadOnlyList<StoredEvent> Events, long Total)> FilterAsync(EventFilter filter, int limit, int offset = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return database.ReadAsync<(IReadOnlyList<StoredEvent>, long)>(async session =>
        {
            var sql = new EventSql(session.Dialect, filter);
            long total;
            await using (var count = sql.Bind(session.Text($"SELECT COUNT(*) FROM events e WHERE {sql.Where}")))
            {
                total = await count.CountAsync(cancellationToken).ConfigureAwait(false);
            }

            if (limit == 0 || offset >= total)
            {
                return ([], total);
            }

            var direction = filter.Order == EventOrder.Asc ? "ASC" : "DESC";
            var page = $"SELECT {EventRows.Columns} FROM events e WHERE {sql.Where} ORDER BY e.occurred {direction}, e.seq {direction} " +
                $"LIMIT {sql.Param(limit)} OFFSET {sql.Param(offset)}";
            await using var command = sql.Bind(session.Text(page));
            return (await command.ListAsync(EventRows.Map, cancellationToken).ConfigureAwait(false), total);
        }, cancellationToken);
    }

    /// <summary>Counts the events matching <paramref name="filter"/> (its times set) by <paramref name="countable"/>, as
    /// Prefect 3's <c>/events/count-by/{countable}</c>: by event name or resource (most first), or in time buckets of
    /// <paramref name="interval"/> <paramref name="unit"/>s (<see cref="EventCountable.Day"/>: one day) from the filter's
    /// since to its until, empty buckets included.</summary>
    /// <exception cref="EventCountException">The interval is below 0.01 or makes more than <see cref="MaxBuckets"/> buckets.</exception>
    public async Task<IReadOnlyList<EventCount>> CountByAsync(EventFilter filter, EventCountable countable, EventTimeUnit unit = EventTimeUnit.Day,
        double interval = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (countable == EventCountable.Day)
        {
            (unit, interval) = (EventTimeUnit.Day, 1);
        }

        if (countable is EventCountable.Event or EventCountable.Resource)
        {
            return await database.ReadAsync<IReadOnlyList<EventCount>>(async session =>
            {
                var sql = new EventSql(session.Dialect, filter);
                var (value, label) = countable == EventCountable.Event
                    ? ("e.event", "e.event")
                    : ("e.resource_id", session.IsPostgres
                        ? "COALESCE(e.resource ->> 'prefect.resource.name', e.resource ->> 'prefect.name', e.resource_id)"
                        : "COALESCE(json_extract(e.resource, '$.\"prefect.resource.name\"'), json_extract(e.resource, '$.\"prefect.name\"'), e.resource_id)");
                await using var command = sql.Bind(session.Text(
                    $"SELECT {value}, MAX({label}), COUNT(*), MIN(e.occurred), MAX(e.occurred) FROM events e WHERE {sql.Where} GROUP BY {value}"));
                var rows = await command.ListAsync(r => new EventCount(r.GetString(0), r.GetString(1),
                    Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture), Rows.Time(r, 3), Rows.Time(r, 4)), cancellationToken).ConfigureAwait(false);
                return [.. rows.OrderByDescending(c => c.Count).ThenBy(c => c.Label, StringComparer.Ordinal)];
            }, cancellationToken).ConfigureAwait(false);
        }

        if (interval < 0.01)
        {
            throw new EventCountException("The minimum interval is 0.01");
        }

        var since = filter.Occurred.Since ?? throw new ArgumentException("The filter's times must be set.", nameof(filter));
        var until = filter.Occurred.Until ?? throw new ArgumentException("The filter's times must be set.", nameof(filter));
        if (UnitSeconds(unit) * interval > MaxIntervalSeconds)
        {
            throw new EventCountException("The maximum interval is 100 years (3,155,760,000 seconds)");
        }

        var delta = TimeSpan.FromSeconds(UnitSeconds(unit) * interval);
        if (since - DateTimeOffset.MinValue < delta || DateTimeOffset.MaxValue - until < delta + delta)
        {
            // A bucket starts at most one interval before the range and ends at most one after it: all of them must be dates.
            throw new EventCountException("The time range and interval reach beyond the dates that can be represented (years 1 to 9999)");
        }

        var buckets = Math.Ceiling((until - since) / delta);
        if (buckets > MaxBuckets)
        {
            throw new EventCountException($"The given interval would create {buckets} buckets, which is too many. Please increase the interval " +
                $"or reduce the time range to produce {MaxBuckets} buckets or fewer.");
        }

        var counts = await database.ReadAsync(async session =>
        {
            var sql = new EventSql(session.Dialect, filter);
            var seconds = session.IsPostgres
                ? "EXTRACT(EPOCH FROM e.occurred)"
                : "(julianday(e.occurred) - 2440587.5) * 86400.0";
            var position = $"(({seconds} - {sql.Param((double)Pivot.ToUnixTimeSeconds())}) / {sql.Param(delta.TotalSeconds)})";

            // SQLite may be built without FLOOR: a cast truncates toward zero, one less below zero when not whole.
            var bucket = session.IsPostgres
                ? $"CAST(FLOOR({position}) AS BIGINT)"
                : $"(CAST({position} AS INTEGER) - ({position} < CAST({position} AS INTEGER)))";
            await using var command = sql.Bind(session.Text($"SELECT {bucket} AS b, COUNT(*) FROM events e WHERE {sql.Where} GROUP BY b"));
            return await command.ListAsync(r => (Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture)),
                cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        var byBucket = counts.ToDictionary(c => c.Item1, c => c.Item2);
        var first = (long)Math.Floor((since - Pivot) / delta);
        var end = until > clock.GetUtcNow() ? clock.GetUtcNow() : until;
        var result = new List<EventCount>();
        for (var (index, start) = (0, Pivot + (delta * first)); start < end || index == 0; index++, start += delta)
        {
            result.Add(new EventCount(index.ToString(CultureInfo.InvariantCulture), StateChangeEvents.Timestamp(start),
                byBucket.GetValueOrDefault(first + index), start, start + delta - TimeSpan.FromTicks(10)));
        }

        return result;
    }

    private static double UnitSeconds(EventTimeUnit unit) => unit switch
    {
        EventTimeUnit.Week => 7 * 86400,
        EventTimeUnit.Day => 86400,
        EventTimeUnit.Hour => 3600,
        EventTimeUnit.Minute => 60,
        _ => 1,
    };
}
