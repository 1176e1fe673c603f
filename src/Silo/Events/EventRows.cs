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
    /// an event twice stores it once), and one <c>event_resources</c> row per resource of each inserted event.</summary>
    /// <returns>How many events were inserted.</returns>
    public static Task<int> InsertAsync(DbSession session, IReadOnlyList<Event> events, CancellationToken cancellationToken) =>
        session.IsPostgres ? InsertManyAsync(session, events, cancellationToken) : InsertEachAsync(session, events, cancellationToken);

    /// <summary>SQLite runs in-process, so a statement costs no round trip, while binding a statement of many named
    /// parameters costs quadratic time (see <see cref="Logs.LogStore.SqliteRowsPerStatement"/>): one prepared single-row
    /// statement per row, kept by the writer's statement cache, is the cheapest.</summary>
    private static async Task<int> InsertEachAsync(DbSession session, IReadOnlyList<Event> events, CancellationToken cancellationToken)
    {
        var eventSql = EventStatements.GetOrAdd((session.Dialect, 1), static key => BuildEvents(key.Item1, key.Item2, returning: false));
        var resourceSql = ResourceStatements.GetOrAdd((session.Dialect, 1), static key => BuildResources(key.Item1, key.Item2));
        var inserted = 0;
        foreach (var e in events)
        {
            var resourceJson = Json(e.Resource);
            await using (var command = BindEvent(session.Text(eventSql), e, "0", resourceJson))
            {
                if (await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    continue;
                }
            }

            inserted++;
            await InsertResourceAsync(session, resourceSql, e, e.Resource, "", resourceJson, cancellationToken).ConfigureAwait(false);
            foreach (var related in e.Related)
            {
                await InsertResourceAsync(session, resourceSql, e, related, related.Role ?? "", Json(related), cancellationToken).ConfigureAwait(false);
            }
        }

        return inserted;
    }

    private static async Task InsertResourceAsync(DbSession session, string sql, Event e, Resource resource, string role, string json, CancellationToken cancellationToken)
    {
        await using var command = session.Text(sql).Add("e0", e.Id).Add("x0", resource.Id).Add("r0", role).Add("o0", e.Occurred).Add("l0", json);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static SqlCommand BindEvent(SqlCommand command, Event e, string n, string resourceJson) => command
        .Add("i" + n, e.Id).Add("o" + n, e.Occurred).Add("r" + n, e.Received).Add("e" + n, e.Name)
        .Add("x" + n, e.Resource.Id).Add("s" + n, resourceJson).Add("l" + n, Json(e.Related))
        .Add("p" + n, e.Payload is { } payload ? payload.GetRawText() : null).Add("f" + n, e.Follows);

    /// <summary>PostgreSQL: a statement is a round trip, so many rows per statement (RETURNING tells which were new).</summary>
    private static async Task<int> InsertManyAsync(DbSession session, IReadOnlyList<Event> events, CancellationToken cancellationToken)
    {
        const int chunk = PostgresRowsPerStatement;
        var inserted = new HashSet<Guid>();
        for (var start = 0; start < events.Count; start += chunk)
        {
            var count = Math.Min(chunk, events.Count - start);
            var sql = EventStatements.GetOrAdd((session.Dialect, count), static key => BuildEvents(key.Item1, key.Item2, returning: true));
            await using var command = session.Text(sql);
            for (var i = 0; i < count; i++)
            {
                var e = events[start + i];
                BindEvent(command, e, i.ToString(CultureInfo.InvariantCulture), Json(e.Resource));
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

        var resources = new List<(Guid EventId, DateTimeOffset Occurred, Resource Resource, string Role)>();
        foreach (var e in events)
        {
            if (!inserted.Remove(e.Id))
            {
                continue;
            }

            resources.Add((e.Id, e.Occurred, e.Resource, ""));
            foreach (var related in e.Related)
            {
                resources.Add((e.Id, e.Occurred, related, related.Role ?? ""));
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
                var (eventId, occurred, resource, role) = resources[start + i];
                var n = i.ToString(CultureInfo.InvariantCulture);
                command.Add("e" + n, eventId).Add("x" + n, resource.Id).Add("r" + n, role).Add("o" + n, occurred).Add("l" + n, Json(resource));
            }

            await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }

        return insertedCount;
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
