using System.Globalization;
using System.Text.Json;
using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Silo.Queries.History;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Queries;

public sealed partial class RunQueries
{
    /// <summary>The most intervals a history has (Prefect's limit: later ones are left out).</summary>
    public const int MaxHistoryIntervals = 500;

    /// <summary>The shortest interval of a history (Prefect's).</summary>
    public static readonly TimeSpan MinHistoryInterval = TimeSpan.FromSeconds(1);

    private static readonly HashSet<string> HistorySections = ["flows", "flow_runs", "task_runs", "deployments", "work_pools", "work_queues"];

    /// <summary>Prefect's <c>/flow_runs/history</c>: the flow runs matching the filter sections of <paramref name="body"/>,
    /// counted in the interval of <paramref name="start"/> + k × <paramref name="interval"/> their expected start time falls
    /// in, by the state they are in now, with their estimated run time and lateness added up. Intervals start before
    /// <paramref name="end"/>, at most <see cref="MaxHistoryIntervals"/>; one without runs has no states.</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is under <see cref="MinHistoryInterval"/>.</exception>
    public Task<List<RunStateHistory>> FlowRunHistoryAsync(DateTimeOffset start, DateTimeOffset end, TimeSpan interval, JsonElement body,
        CancellationToken cancellationToken) =>
        HistoryAsync("flow_runs", FlowRunWhere, start, end, interval, body, cancellationToken);

    /// <summary>Prefect's <c>/task_runs/history</c>: as <see cref="FlowRunHistoryAsync"/>, for task runs.</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is under <see cref="MinHistoryInterval"/>.</exception>
    public Task<List<RunStateHistory>> TaskRunHistoryAsync(DateTimeOffset start, DateTimeOffset end, TimeSpan interval, JsonElement body,
        CancellationToken cancellationToken) =>
        HistoryAsync("task_runs", TaskRunWhere, start, end, interval, body, cancellationToken);

    private async Task<List<RunStateHistory>> HistoryAsync(string table, Func<FilterTranslator, FilterRequest, List<string>> build,
        DateTimeOffset start, DateTimeOffset end, TimeSpan interval, JsonElement body, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, MinHistoryInterval);
        var request = FilterRequest.Parse(body, HistorySections, paged: false);
        if (request.Sections.Remove("work_queues", out var queues))
        {
            // The history routes name the work-queue filter work_queues; the list routes work_pool_queues.
            request.Sections["work_pool_queues"] = queues;
        }

        var bounds = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        for (var at = start; at < end && bounds.Count < MaxHistoryIntervals;)
        {
            // An interval that would end past the last representable time ends there, and is the last.
            var next = DateTimeOffset.MaxValue - at < interval ? DateTimeOffset.MaxValue : at + interval;
            bounds.Add((at, next));
            if (next == DateTimeOffset.MaxValue)
            {
                break;
            }

            at = next;
        }

        if (bounds.Count == 0)
        {
            return [];
        }

        var where = new SqlWhere(silo.Database.Dialect);
        var condition = SqlWhere.Join(build(new FilterTranslator(where), request));
        var now = where.Param(silo.Clock.GetUtcNow());
        var postgres = silo.Database.Dialect == SqlDialect.Postgres;
        string Seconds(string later, string earlier) => postgres
            ? $"EXTRACT(EPOCH FROM ({later} - {earlier}))::float8"
            : $"((julianday({later}) - julianday({earlier})) * 86400.0)";
        string Greatest(string a, string b) => postgres ? $"GREATEST({a}, {b})" : $"MAX({a}, {b})";
        var totalRunTime = postgres ? "COALESCE((data::jsonb ->> 'total_run_time')::float8, 0)" : "COALESCE(json_extract(data, '$.total_run_time'), 0)";
        // Prefect's estimated_run_time and estimated_start_time_delta, each counted when positive.
        var runTime = Greatest("0", $"{totalRunTime} + CASE WHEN state_type = 'RUNNING' AND state_timestamp IS NOT NULL THEN {Greatest("0", Seconds(now, "state_timestamp"))} ELSE 0 END");
        var lateness = $"""
            CASE WHEN start_time > expected_start_time THEN {Seconds("start_time", "expected_start_time")}
                WHEN start_time IS NULL AND (state_type IS NULL OR state_type NOT IN ('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED'))
                    AND expected_start_time < {now} THEN {Seconds(now, "expected_start_time")}
                ELSE 0 END
            """;
        var values = string.Join(", ", bounds.Select((b, i) =>
            $"({i.ToString(CultureInfo.InvariantCulture)}, {where.Param(b.Start)}, {where.Param(b.End)})"));
        var sql = $"""
            WITH b (i, lo, hi) AS (VALUES {values})
            SELECT b.i, r.state_type, r.state_name, COUNT(*), SUM(r.run_time), SUM(r.lateness)
            FROM b JOIN (SELECT expected_start_time, state_type, state_name, {runTime} AS run_time, {Greatest("0", lateness)} AS lateness
                FROM {table} WHERE expected_start_time IS NOT NULL AND {condition}) AS r
            ON r.expected_start_time >= b.lo AND r.expected_start_time < b.hi
            GROUP BY b.i, r.state_type, r.state_name
            """;
        var rows = await silo.Database.ReadAsync(async session =>
        {
            await using var command = where.Bind(session.Text(sql));
            return await command.ListAsync(r => (
                Interval: Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture),
                State: new RunStateHistoryState(r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
                    Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture), Number(r.GetValue(4)), Number(r.GetValue(5)))), cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        var states = rows.ToLookup(r => r.Interval, r => r.State);
        return [.. bounds.Select((b, i) => new RunStateHistory(b.Start, b.End,
            [.. states[i].OrderBy(s => s.StateType, StringComparer.Ordinal).ThenBy(s => s.StateName, StringComparer.Ordinal)]))];
    }

    /// <summary>The most rows of Prefect's <c>/ui/flow_runs/history</c> (its <c>limit</c>'s bound and default).</summary>
    public const int MaxScatterRuns = 1000;

    private static readonly HashSet<string> ScatterSections = ["flows", "flow_runs", "task_runs", "deployments", "work_pools"];

    /// <summary>The flow runs of Prefect's <c>/ui/flow_runs/history</c> (the UI's scatter chart): those matching the
    /// filter sections of <paramref name="body"/>, in its <c>sort</c> (<c>EXPECTED_START_TIME_DESC</c> by default), with
    /// its <c>limit</c> (at most and by default <see cref="MaxScatterRuns"/>) and <c>offset</c>.</summary>
    /// <exception cref="FilterException">The body is not a valid filter, or its paging is out of range.</exception>
    public Task<List<FlowRun>> FlowRunScatterAsync(JsonElement body, CancellationToken cancellationToken)
    {
        var request = FilterRequest.Parse(body, ScatterSections, paged: false);
        var sortName = "EXPECTED_START_TIME_DESC";
        var limit = MaxScatterRuns;
        var offset = 0;
        if (body.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in body.EnumerateObject())
            {
                var value = property.Value;
                switch (property.Name)
                {
                    case "sort" when value.ValueKind != JsonValueKind.Null:
                        sortName = value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new FilterException(["sort"], "must be a string");
                        break;
                    case "limit" when value.ValueKind != JsonValueKind.Null:
                        limit = value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var l) && l is >= 0 and <= MaxScatterRuns
                            ? l
                            : throw new FilterException(["limit"], string.Create(CultureInfo.InvariantCulture, $"must be a whole number from 0 to {MaxScatterRuns}"));
                        break;
                    case "offset" when value.ValueKind != JsonValueKind.Null:
                        offset = value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var o) && o >= 0
                            ? o
                            : throw new FilterException(["offset"], "must be a whole number of at least 0");
                        break;
                }
            }
        }

        if (!FlowRunSorts.TryGetValue(sortName, out var orderBy))
        {
            throw new FilterException(["sort"], $"value is not a valid enumeration member; permitted: {string.Join(", ", FlowRunSorts.Keys.Select(k => $"'{k}'"))}");
        }

        var where = new SqlWhere(silo.Database.Dialect);
        var condition = SqlWhere.Join(FlowRunWhere(new FilterTranslator(where), request));
        var sql = $"SELECT data FROM flow_runs WHERE {condition} ORDER BY {orderBy} LIMIT {where.Param(limit)} OFFSET {where.Param(offset)}";
        return silo.Database.ReadAsync(async session =>
        {
            await using var command = where.Bind(session.Text(sql));
            return await command.ListJsonAsync<FlowRun>(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    private static double Number(object value) => value is DBNull ? 0 : Convert.ToDouble(value, CultureInfo.InvariantCulture);
}
