using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using NpgsqlTypes;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.Json;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Events;

/// <summary>Rows of <c>events</c> and <c>event_resources</c>: their INSERTs (one statement of arrays on PostgreSQL, prepared
/// single rows on SQLite) and the mapping of a row back to an <see cref="Event"/>.</summary>
internal static class EventRows
{
    /// <summary>The columns every event query selects, in the order <see cref="Map"/> reads them.</summary>
    public const string Columns = "e.seq, e.id, e.occurred, e.received, e.event, e.resource, e.related, e.payload, e.follows";

    /// <summary>Inserts the events not stored yet (an event whose id is stored already is skipped: a client that sends
    /// an event twice stores it once), and one <c>event_resources</c> row per related resource of each inserted event.
    /// The event's own resource has no row there: its id and labels are the event's own columns, which filters read.</summary>
    /// <returns>How many events were inserted, and the highest seq given to one of them.</returns>
    public static Task<StoredEvents> InsertAsync(DbSession session, IReadOnlyList<Event> events, CancellationToken cancellationToken) =>
        session.IsPostgres ? InsertManyAsync(session, events, cancellationToken) : InsertEachAsync(session, events, cancellationToken);

    /// <summary>SQLite runs in-process, so a statement costs no round trip, while binding a statement of many named
    /// parameters costs quadratic time (see <see cref="Logs.LogStore.SqliteRowsPerStatement"/>): one prepared single-row
    /// statement per row, kept by the writer's statement cache. (One multi-row INSERT of an event's resource rows measured
    /// no better on the hot path, if anything worse: docs/performance.md, "Events on the hot path".)
    /// <para>The highest seq is SQLite's last inserted rowid: the events' rowids grow with each insert (AUTOINCREMENT), and
    /// inserts into <c>event_resources</c>, a WITHOUT ROWID table, do not change it.</para></summary>
    private static async Task<StoredEvents> InsertEachAsync(DbSession session, IReadOnlyList<Event> events, CancellationToken cancellationToken)
    {
        var inserted = 0;
        foreach (var e in events)
        {
            var json = new EventJson(e);
            await using (var command = session.Text(SqliteInsertEvent)
                .Add("i", e.Id).Add("o", e.Occurred).Add("r", e.Received).Add("e", e.Name).Add("x", e.Resource.Id)
                .Add("s", json.Resource).Add("l", json.Related).Add("p", e.Payload is { } payload ? payload.GetRawText() : null)
                .Add("f", e.Follows))
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
                await using var command = session.Text(SqliteInsertResource)
                    .Add("e", e.Id).Add("x", related.Id).Add("r", related.Role ?? "").Add("o", e.Occurred).Add("l", json.RelatedEach[i]);
                await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return inserted == 0
            ? default
            : new StoredEvents(inserted, SQLitePCL.raw.sqlite3_last_insert_rowid(((Microsoft.Data.Sqlite.SqliteConnection)session.Connection).Handle));
    }

    private const string SqliteInsertEvent =
        "INSERT INTO events (id, occurred, received, event, resource_id, resource, related, payload, follows)\n" +
        "VALUES (@i, @o, @r, @e, @x, @s, @l, @p, @f) ON CONFLICT (id) DO NOTHING";

    private const string SqliteInsertResource =
        "INSERT INTO event_resources (event_id, resource_id, role, occurred, labels) VALUES (@e, @x, @r, @o, @l) ON CONFLICT DO NOTHING";

    /// <summary>PostgreSQL: a statement is a round trip, and a statement text PostgreSQL has not seen is parsed and
    /// planned again. So every call, whatever its number of events and resource rows (a group commit's tens, a client's
    /// batch of thousands), is one statement of one text: the columns go as arrays that <c>unnest</c> turns into rows,
    /// and Npgsql prepares the statement once per connection. The events' INSERT is a CTE whose RETURNING (the events
    /// that were new) joins the resource rows, so an event stored already adds none. An id repeated within the call is
    /// bound once (the first), as the conflict would skip the second anyway.</summary>
    private static async Task<StoredEvents> InsertManyAsync(DbSession session, IReadOnlyList<Event> events, CancellationToken cancellationToken)
    {
        var distinct = Distinct(events);
        var count = distinct.Count;
        var ids = new Guid[count];
        var occurred = new DateTime[count];
        var received = new DateTime[count];
        var names = new string[count];
        var resourceIds = new string[count];
        var resources = new string[count];
        var related = new string[count];
        var payloads = new string?[count];
        var follows = new Guid?[count];
        var rows = 0;
        foreach (var e in distinct)
        {
            rows += e.Related.Count;
        }

        var rowEvents = new Guid[rows];
        var rowIds = new string[rows];
        var rowRoles = new string[rows];
        var rowOccurred = new DateTime[rows];
        var rowLabels = new string[rows];
        var row = 0;
        for (var j = 0; j < count; j++)
        {
            var e = distinct[j];
            var json = new EventJson(e);
            ids[j] = e.Id;
            occurred[j] = e.Occurred.UtcDateTime;
            received[j] = e.Received.UtcDateTime;
            names[j] = e.Name;
            resourceIds[j] = e.Resource.Id;
            resources[j] = json.Resource;
            related[j] = json.Related;
            payloads[j] = e.Payload is { } payload ? payload.GetRawText() : null;
            follows[j] = e.Follows;
            for (var i = 0; i < e.Related.Count; i++)
            {
                rowEvents[row] = e.Id;
                rowIds[row] = e.Related[i].Id;
                rowRoles[row] = e.Related[i].Role ?? "";
                rowOccurred[row] = occurred[j];
                rowLabels[row] = json.RelatedEach[i];
                row++;
            }
        }

        await using var command = session.Text(PostgresInsert)
            .AddArray("ids", NpgsqlDbType.Uuid, ids).AddArray("occurred", NpgsqlDbType.TimestampTz, occurred)
            .AddArray("received", NpgsqlDbType.TimestampTz, received).AddArray("names", NpgsqlDbType.Text, names)
            .AddArray("resource_ids", NpgsqlDbType.Text, resourceIds).AddArray("resources", NpgsqlDbType.Text, resources)
            .AddArray("related", NpgsqlDbType.Text, related).AddArray("payloads", NpgsqlDbType.Text, payloads)
            .AddArray("follows", NpgsqlDbType.Uuid, follows)
            .AddArray("row_events", NpgsqlDbType.Uuid, rowEvents).AddArray("row_ids", NpgsqlDbType.Text, rowIds)
            .AddArray("row_roles", NpgsqlDbType.Text, rowRoles).AddArray("row_occurred", NpgsqlDbType.TimestampTz, rowOccurred)
            .AddArray("row_labels", NpgsqlDbType.Text, rowLabels);
        return await command.FirstOrDefaultAsync(r => new StoredEvents(checked((int)r.GetInt64(0)), r.GetInt64(1)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The events with the first of each id, in their order (the list itself when its ids are distinct).</summary>
    private static IReadOnlyList<Event> Distinct(IReadOnlyList<Event> events)
    {
        var ids = new HashSet<Guid>(events.Count);
        foreach (var e in events)
        {
            if (!ids.Add(e.Id))
            {
                ids.Clear();
                return [.. events.Where(x => ids.Add(x.Id))];
            }
        }

        return events;
    }

    // WITH ORDINALITY and ORDER BY keep the events' order, so their seq follows it.
    private const string PostgresInsert = """
        WITH ins AS (
            INSERT INTO events (id, occurred, received, event, resource_id, resource, related, payload, follows)
            SELECT v.i, v.o, v.r, v.e, v.x, v.s::jsonb, v.l::jsonb, v.p::jsonb, v.f
            FROM unnest(@ids, @occurred, @received, @names, @resource_ids, @resources, @related, @payloads, @follows)
                WITH ORDINALITY AS v (i, o, r, e, x, s, l, p, f, n)
            ORDER BY v.n
            ON CONFLICT (id) DO NOTHING RETURNING id, seq),
        res AS (
            INSERT INTO event_resources (event_id, resource_id, role, occurred, labels)
            SELECT w.e, w.x, w.r, w.o, w.l::jsonb
            FROM unnest(@row_events, @row_ids, @row_roles, @row_occurred, @row_labels) AS w (e, x, r, o, l)
            JOIN ins ON ins.id = w.e
            ON CONFLICT DO NOTHING)
        SELECT count(*), COALESCE(max(seq), 0) FROM ins
        """;

    /// <summary>What an insert of events stored.</summary>
    /// <param name="Count">How many of the events were new.</param>
    /// <param name="LastSeq">The highest seq given to a new one; 0 when none was new.</param>
    public readonly record struct StoredEvents(int Count, long LastSeq);

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
}
