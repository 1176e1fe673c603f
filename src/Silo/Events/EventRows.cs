using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.Json;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Events;

/// <summary>Rows of <c>events</c> and <c>event_resources</c>: their INSERTs (multi-row on PostgreSQL, prepared single rows on
/// SQLite) and the mapping of a row back to an <see cref="Event"/>.</summary>
internal static class EventRows
{
    /// <summary>The columns every event query selects, in the order <see cref="Map"/> reads them.</summary>
    public const string Columns = "e.seq, e.id, e.occurred, e.received, e.event, e.resource, e.related, e.payload, e.follows";

    private const int PostgresRowsPerStatement = 500;
    private static readonly ConcurrentDictionary<(SqlDialect, int), string> EventStatements = new();
    private static readonly ConcurrentDictionary<(SqlDialect, int), string> ResourceStatements = new();

    /// <summary>Inserts the events not stored yet (an event whose id is stored already is skipped: a client that sends
    /// an event twice stores it once), and one <c>event_resources</c> row per related resource of each inserted event.
    /// The event's own resource has no row there: its id and labels are the event's own columns, which filters read.</summary>
    /// <returns>How many events were inserted.</returns>
    public static Task<int> InsertAsync(DbSession session, IReadOnlyList<Event> events, CancellationToken cancellationToken) =>
        session.IsPostgres ? InsertManyAsync(session, events, cancellationToken) : InsertEachAsync(session, events, cancellationToken);

    /// <summary>SQLite runs in-process, so a statement costs no round trip, while binding a statement of many named
    /// parameters costs quadratic time (see <see cref="Logs.LogStore.SqliteRowsPerStatement"/>): one prepared single-row
    /// statement per row, kept by the writer's statement cache. (One multi-row INSERT of an event's resource rows measured
    /// no better on the hot path, if anything worse: docs/performance.md, "Events on the hot path".)</summary>
    private static async Task<int> InsertEachAsync(DbSession session, IReadOnlyList<Event> events, CancellationToken cancellationToken)
    {
        var eventSql = EventStatements.GetOrAdd((session.Dialect, 1), static key => BuildEvents(key.Item1, key.Item2, returning: false));
        var resourceSql = ResourceStatements.GetOrAdd((session.Dialect, 1), static key => BuildResources(key.Item1, key.Item2));
        var inserted = 0;
        foreach (var e in events)
        {
            var json = new EventJson(e);
            await using (var command = BindEvent(session.Text(eventSql), e, "0", json))
            {
                if (await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    continue;
                }
            }

            inserted++;
            for (var i = 0; i < e.Related.Count; i++)
            {
                var related = e.Related[i];
                await InsertResourceAsync(session, resourceSql, e, related, related.Role ?? "", json.RelatedEach[i], cancellationToken).ConfigureAwait(false);
            }
        }

        return inserted;
    }

    private static async Task InsertResourceAsync(DbSession session, string sql, Event e, Resource resource, string role, string json, CancellationToken cancellationToken)
    {
        await using var command = session.Text(sql).Add("e0", e.Id).Add("x0", resource.Id).Add("r0", role).Add("o0", e.Occurred).Add("l0", json);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static SqlCommand BindEvent(SqlCommand command, Event e, string n, EventJson json) => command
        .Add("i" + n, e.Id).Add("o" + n, e.Occurred).Add("r" + n, e.Received).Add("e" + n, e.Name)
        .Add("x" + n, e.Resource.Id).Add("s" + n, json.Resource).Add("l" + n, json.Related)
        .Add("p" + n, e.Payload is { } payload ? payload.GetRawText() : null).Add("f" + n, e.Follows);

    private static readonly string[] Indexes = [.. Enumerable.Range(0, 512).Select(i => i.ToString(CultureInfo.InvariantCulture))];

    private static string Index(int i) => i < Indexes.Length ? Indexes[i] : i.ToString(CultureInfo.InvariantCulture);

    /// <summary>PostgreSQL: a statement is a round trip, so many rows per statement (RETURNING tells which were new). The
    /// events of one transaction (a group commit's: tens, not hundreds) go in ONE statement with their resource rows;
    /// larger sets (a client's batch of up to thousands) in chunks, the events first.</summary>
    private static async Task<int> InsertManyAsync(DbSession session, IReadOnlyList<Event> events, CancellationToken cancellationToken)
    {
        if (events.Count <= PostgresEventsInOneStatement && events.Sum(e => e.Related.Count) is > 0 and <= PostgresResourceRowsInOneStatement
            && DistinctIds(events))
        {
            return await InsertTogetherAsync(session, events, cancellationToken).ConfigureAwait(false);
        }

        const int chunk = PostgresRowsPerStatement;
        var inserted = new HashSet<Guid>();
        var json = new EventJson[events.Count];
        for (var start = 0; start < events.Count; start += chunk)
        {
            var count = Math.Min(chunk, events.Count - start);
            var sql = EventStatements.GetOrAdd((session.Dialect, count), static key => BuildEvents(key.Item1, key.Item2, returning: true));
            await using var command = session.Text(sql);
            for (var i = 0; i < count; i++)
            {
                var e = events[start + i];
                json[start + i] = new EventJson(e);
                BindEvent(command, e, i.ToString(CultureInfo.InvariantCulture), json[start + i]);
            }

            foreach (var id in await command.ListAsync(r => Rows.Guid(r, 0), cancellationToken).ConfigureAwait(false))
            {
                inserted.Add(id);
            }
        }

        var insertedCount = inserted.Count;
        if (insertedCount == 0)
        {
            return 0;
        }

        var resources = new List<(Guid EventId, DateTimeOffset Occurred, Resource Resource, string Role, string Json)>();
        for (var j = 0; j < events.Count; j++)
        {
            var e = events[j];
            if (!inserted.Remove(e.Id))
            {
                continue;
            }

            for (var i = 0; i < e.Related.Count; i++)
            {
                var related = e.Related[i];
                resources.Add((e.Id, e.Occurred, related, related.Role ?? "", json[j].RelatedEach[i]));
            }
        }

        const int resourceChunk = chunk * 2;
        for (var start = 0; start < resources.Count; start += resourceChunk)
        {
            var count = Math.Min(resourceChunk, resources.Count - start);
            var sql = ResourceStatements.GetOrAdd((session.Dialect, count), static key => BuildResources(key.Item1, key.Item2));
            await using var command = session.Text(sql);
            for (var i = 0; i < count; i++)
            {
                var (eventId, occurred, resource, role, text) = resources[start + i];
                var n = i.ToString(CultureInfo.InvariantCulture);
                command.Add("e" + n, eventId).Add("x" + n, resource.Id).Add("r" + n, role).Add("o" + n, occurred).Add("l" + n, text);
            }

            await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }

        return insertedCount;
    }

    /// <summary>The most events <see cref="InsertTogetherAsync"/> takes.</summary>
    private const int PostgresEventsInOneStatement = 100;

    /// <summary>The most resource rows <see cref="InsertTogetherAsync"/> takes (PostgreSQL binds at most 65,535
    /// parameters in one statement: 100 events take 900, 1,000 resource rows 5,000).</summary>
    private const int PostgresResourceRowsInOneStatement = 1_000;

    private static bool DistinctIds(IReadOnlyList<Event> events)
    {
        var ids = new HashSet<Guid>(events.Count);
        foreach (var e in events)
        {
            if (!ids.Add(e.Id))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One round trip for a transaction's events and their related-resource rows (at least one): the events'
    /// INSERT is a CTE whose RETURNING (the events that were new) joins the resource rows, so an event stored already adds
    /// none. Its ids must be distinct (a repeated id would join its resource rows twice).</summary>
    private static async Task<int> InsertTogetherAsync(DbSession session, IReadOnlyList<Event> events, CancellationToken cancellationToken)
    {
        var rows = 0;
        foreach (var e in events)
        {
            rows += e.Related.Count;
        }

        // The text depends on the two counts only: kept for the shapes a group commit keeps making (tens of them), up to a
        // bound so that unusual shapes cannot grow the cache without end.
        var key = (events.Count, rows);
        if (!TogetherStatements.TryGetValue(key, out var sql))
        {
            sql = BuildTogether(session.Dialect, events.Count, rows);
            if (TogetherStatements.Count < MaxTogetherStatements)
            {
                TogetherStatements.TryAdd(key, sql);
            }
        }

        await using var command = session.Text(sql);
        var row = 0;
        for (var j = 0; j < events.Count; j++)
        {
            var e = events[j];
            var json = new EventJson(e);
            BindEvent(command, e, Index(j), json);
            for (var i = 0; i < e.Related.Count; i++)
            {
                var related = e.Related[i];
                BindRow(command, row++, e, related, related.Role ?? "", json.RelatedEach[i]);
            }
        }

        return (int)await command.CountAsync(cancellationToken).ConfigureAwait(false);

        static void BindRow(SqlCommand command, int row, Event e, Resource resource, string role, string json)
        {
            var n = Index(row);
            command.Add("ve" + n, e.Id).Add("vx" + n, resource.Id).Add("vr" + n, role).Add("vo" + n, e.Occurred).Add("vl" + n, json);
        }
    }

    /// <summary>How many statement texts of <see cref="InsertTogetherAsync"/> are kept (by event and resource-row count).</summary>
    private const int MaxTogetherStatements = 256;

    private static readonly ConcurrentDictionary<(int Events, int Rows), string> TogetherStatements = new();

    private static string BuildTogether(SqlDialect dialect, int events, int rows)
    {
        var sql = new StringBuilder("WITH ins AS (").Append(BuildEvents(dialect, events, returning: true))
            .Append("),\nres AS (INSERT INTO event_resources (event_id, resource_id, role, occurred, labels)\n")
            .Append("SELECT v.e, v.x, v.r, v.o, v.l::jsonb FROM (VALUES ");
        for (var i = 0; i < rows; i++)
        {
            var n = Index(i);
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@ve{n}, @vx{n}, @vr{n}, @vo{n}, @vl{n})");
        }

        return sql.Append(") AS v (e, x, r, o, l) JOIN ins ON ins.id = v.e\nON CONFLICT DO NOTHING)\nSELECT count(*) FROM ins").ToString();
    }

    /// <summary>Reads a row selected with <see cref="Columns"/>.</summary>
    public static StoredEvent Map(DbDataReader reader) => new(
        Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
        new Event
        {
            Id = Rows.Guid(reader, 1),
            Occurred = Rows.Time(reader, 2),
            Received = Rows.Time(reader, 3),
            Name = reader.GetString(4),
            Resource = JsonSerializer.Deserialize<Resource>(reader.GetString(5), OrleansFlowJson.Options)!,
            Related = JsonSerializer.Deserialize<List<Resource>>(reader.GetString(6), OrleansFlowJson.Options) ?? [],
            Payload = reader.IsDBNull(7) ? null : JsonDocument.Parse(reader.GetString(7)).RootElement.Clone(),
            Follows = Rows.NullableGuid(reader, 8),
        });

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, OrleansFlowJson.Options);

    /// <summary>The JSON of an event's resource and of each related resource, each serialized once: the <c>related</c>
    /// column is the related resources' texts joined into an array (what serializing the list writes), and the
    /// <c>event_resources</c> rows take the same texts.</summary>
    private readonly struct EventJson
    {
        public EventJson(Event e)
        {
            Resource = Json(e.Resource);
            if (e.Related.Count == 0)
            {
                RelatedEach = [];
                Related = "[]";
                return;
            }

            var each = new string[e.Related.Count];
            var length = 2 + each.Length - 1;
            for (var i = 0; i < each.Length; i++)
            {
                each[i] = Json(e.Related[i]);
                length += each[i].Length;
            }

            RelatedEach = each;
            Related = string.Create(length, each, static (span, texts) =>
            {
                span[0] = '[';
                var at = 1;
                for (var i = 0; i < texts.Length; i++)
                {
                    if (i > 0)
                    {
                        span[at++] = ',';
                    }

                    texts[i].CopyTo(span[at..]);
                    at += texts[i].Length;
                }

                span[at] = ']';
            });
        }

        public string Resource { get; }

        public string Related { get; }

        public string[] RelatedEach { get; }
    }

    private static string BuildEvents(SqlDialect dialect, int rows, bool returning)
    {
        var json = dialect == SqlDialect.Postgres ? "::jsonb" : "";
        var sql = new StringBuilder("INSERT INTO events (id, occurred, received, event, resource_id, resource, related, payload, follows) VALUES\n");
        for (var i = 0; i < rows; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "" : ",\n").Append(CultureInfo.InvariantCulture,
                $"(@i{n}, @o{n}, @r{n}, @e{n}, @x{n}, @s{n}{json}, @l{n}{json}, @p{n}{json}, @f{n})");
        }

        return sql.Append(returning ? "\nON CONFLICT (id) DO NOTHING RETURNING id" : "\nON CONFLICT (id) DO NOTHING").ToString();
    }

    private static string BuildResources(SqlDialect dialect, int rows)
    {
        var json = dialect == SqlDialect.Postgres ? "::jsonb" : "";
        var sql = new StringBuilder("INSERT INTO event_resources (event_id, resource_id, role, occurred, labels) VALUES\n");
        for (var i = 0; i < rows; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "" : ",\n").Append(CultureInfo.InvariantCulture, $"(@e{n}, @x{n}, @r{n}, @o{n}, @l{n}{json})");
        }

        return sql.Append("\nON CONFLICT DO NOTHING").ToString();
    }
}
