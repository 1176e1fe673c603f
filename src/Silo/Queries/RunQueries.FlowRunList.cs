using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Queries;

/// <summary>The flow-run list as the UI reads it over a million runs: the same Prefect filter bodies and results as
/// <c>/flow_runs/filter</c>, in SQL shaped so that each case reads an index range rather than every matching run.</summary>
public sealed partial class RunQueries
{
    /// <summary>From this offset on, PostgreSQL pages in two steps: the ids of the page from an index alone, then their
    /// rows (an offset of 100,000 otherwise reads 100,000 whole rows to skip them).</summary>
    private const int DeferredOffset = 1_000;

    // The SQLite index that reads flow runs in each sort's order (migrations 0001, 0004 and 0006).
    private static readonly Dictionary<string, string> SqliteSortIndexes = new()
    {
        ["START_TIME_ASC"] = "ix_flow_runs_start_time",
        ["START_TIME_DESC"] = "ix_flow_runs_start_time",
        ["EXPECTED_START_TIME_ASC"] = "ix_flow_runs_expected_start",
        ["EXPECTED_START_TIME_DESC"] = "ix_flow_runs_expected_start",
        ["NAME_ASC"] = "ix_flow_runs_name",
        ["NAME_DESC"] = "ix_flow_runs_name",
        ["END_TIME_DESC"] = "ix_flow_runs_end_time",
    };

    // Every column a flow-run sort refers to: each arm of a union returns them so the union can be sorted.
    private const string SortColumns = "id, name, start_time, expected_start_time, next_scheduled_start_time, end_time";

    /// <summary>One page of the flow runs matching a Prefect filter body (its <c>sort</c>, <c>limit</c> and
    /// <c>offset</c>), and how many match, counted no further than <paramref name="cap"/> + 1 (above
    /// <paramref name="cap"/> means "more than cap"; the API's <c>/count</c> stays exact).</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public async Task<FlowRunPage> FlowRunPageAsync(JsonElement body, long cap, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cap);
        var request = FilterRequest.Parse(body, RunSections, paged: true);
        var count = await CountFlowRunsAsync(request, cap, cancellationToken).ConfigureAwait(false);
        // Past the cap many runs match: testing the runs read in sort order fills the page soonest.
        var runs = await FlowRunListAsync(request, probe: count > cap, cancellationToken).ConfigureAwait(false);
        return new FlowRunPage(runs, count);
    }

    /// <summary>How many flow runs match a Prefect filter body, counted no further than <paramref name="cap"/> + 1.</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public Task<long> CountFlowRunsAsync(JsonElement body, long cap, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cap);
        return CountFlowRunsAsync(FilterRequest.Parse(body, RunSections, paged: false), cap, cancellationToken);
    }

    /// <summary>How many flow runs match a Prefect filter body, per state type (types without runs are left out): one
    /// count per type, side by side in one statement, each an index range of the (state type, expected start) index.</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public Task<Dictionary<StateType, long>> CountFlowRunsByStateAsync(JsonElement body, CancellationToken cancellationToken)
    {
        var request = FilterRequest.Parse(body, RunSections, paged: false);
        var where = new SqlWhere(silo.Database.Dialect);
        var condition = SqlWhere.Join(FlowRunWhere(new FilterTranslator(where), request));
        var types = Enum.GetValues<StateType>();
        var sql = string.Join(" UNION ALL ", types.Select(type =>
            $"SELECT '{type.ToString().ToUpperInvariant()}' AS type, COUNT(*) AS runs FROM flow_runs WHERE state_type = '{type.ToString().ToUpperInvariant()}' AND {condition}"));
        return silo.Database.ReadAsync(async session =>
        {
            await using var command = where.Bind(session.Text(sql));
            var rows = await command.ListAsync(r => (Type: r.GetString(0), Count: Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture)),
                cancellationToken).ConfigureAwait(false);
            return rows.Where(row => row.Count > 0).ToDictionary(row => Enum.Parse<StateType>(row.Type, ignoreCase: true), row => row.Count);
        }, cancellationToken);
    }

    private Task<long> CountFlowRunsAsync(FilterRequest request, long cap, CancellationToken cancellationToken)
    {
        var where = new SqlWhere(silo.Database.Dialect);
        var condition = SqlWhere.Join(FlowRunWhere(new FilterTranslator(where), request));
        var sql = $"SELECT COUNT(*) FROM (SELECT 1 FROM flow_runs WHERE {condition} LIMIT {where.Param(cap + 1)}) AS capped";
        if (silo.Database.Dialect == SqlDialect.Sqlite && SingleTag(request) is { } tag)
        {
            // One tag (the UI's tag filter): walk that tag's rows of flow_run_tags and join their runs, so the count
            // stops at the cap instead of first collecting every run with the tag. The rest of the filter applies to
            // the joined run.
            var runs = request.Sections["flow_runs"];
            try
            {
                var section = JsonNode.Parse(runs.GetRawText())!.AsObject();
                section.Remove("tags");
                request.Sections["flow_runs"] = JsonSerializer.SerializeToElement(section);
                where = new SqlWhere(silo.Database.Dialect);
                condition = SqlWhere.Join(FlowRunWhere(new FilterTranslator(where), request));
            }
            finally
            {
                request.Sections["flow_runs"] = runs;
            }

            sql = $"SELECT COUNT(*) FROM (SELECT 1 FROM flow_run_tags AS tagged CROSS JOIN flow_runs ON flow_runs.id = tagged.flow_run_id " +
                $"WHERE tagged.tag = {where.Param(tag)} AND {condition} LIMIT {where.Param(cap + 1)}) AS capped";
        }

        return silo.Database.ReadAsync(async session =>
        {
            await using var command = where.Bind(session.Text(sql));
            return await command.CountAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    private Task<List<FlowRun>> FlowRunListAsync(FilterRequest request, bool probe, CancellationToken cancellationToken)
    {
        var sort = request.Sort ?? "ID_DESC";
        if (!FlowRunSorts.TryGetValue(sort, out var orderBy))
        {
            throw new FilterException(["sort"], $"value is not a valid enumeration member; permitted: {string.Join(", ", FlowRunSorts.Keys.Select(k => $"'{k}'"))}");
        }

        var where = new SqlWhere(silo.Database.Dialect);
        var arms = Arms(request, where, probe);
        var postgres = silo.Database.Dialect == SqlDialect.Postgres;
        string sql;
        if (arms.Count == 1 && !(postgres && request.Offset >= DeferredOffset))
        {
            // SQLite, many matches: read the sort's index in order (its planner would otherwise collect every match
            // through the filter's index, e.g. a flow's or a tag's, and sort them). Not with a state or an expected-start
            // condition: the (state type, expected start) and expected-start indexes already give the rows in order.
            var indexedBy = !postgres && probe && !HasRunCondition(request, "state") && !HasRunCondition(request, "expected_start_time")
                && SqliteSortIndexes.TryGetValue(sort, out var index) ? $" INDEXED BY {index}" : "";
            sql = $"SELECT data FROM flow_runs{indexedBy} WHERE {arms[0]} ORDER BY {orderBy} LIMIT {where.Param(request.Limit)} OFFSET {where.Param(request.Offset)}";
        }
        else if (postgres)
        {
            // The page's ids from index-only scans (merged across the arms), then only those rows.
            var union = string.Join(" UNION ALL ", arms.Select(arm => $"SELECT {SortColumns} FROM flow_runs WHERE {arm}"));
            sql = $"SELECT data FROM flow_runs WHERE id IN (SELECT id FROM ({union}) AS arms ORDER BY {orderBy} " +
                $"LIMIT {where.Param(request.Limit)} OFFSET {where.Param(request.Offset)}) ORDER BY {orderBy}";
        }
        else
        {
            // SQLite merges a compound SELECT's arms in sort order, each read from its state's index.
            var union = string.Join(" UNION ALL ", arms.Select(arm => $"SELECT data, {SortColumns} FROM flow_runs WHERE {arm}"));
            sql = $"{union} ORDER BY {orderBy} LIMIT {where.Param(request.Limit)} OFFSET {where.Param(request.Offset)}";
        }

        return silo.Database.ReadAsync(async session =>
        {
            await using var command = where.Bind(session.Text(sql));
            return await command.ListJsonAsync<FlowRun>(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>The filter's condition; or, when it asks for several state types (<c>flow_runs.state.type.any_</c>) and
    /// everything is joined with AND, one condition per type: a run has one type, so the arms' union is the same set,
    /// and each arm reads the (state type, sort) index in order where a list of types cannot.</summary>
    private static List<string> Arms(FilterRequest request, SqlWhere where, bool probe)
    {
        var whole = SqlWhere.Join(FlowRunWhere(new FilterTranslator(where, probe, collectText: !probe), request));
        if (SplitStateTypes(request) is not { } types)
        {
            return [whole];
        }

        // The whole condition was translated first so that a bad value fails with its own path; its parameters go unused.
        var runs = request.Sections["flow_runs"];
        var arms = new List<string>();
        try
        {
            foreach (var type in types)
            {
                var section = JsonNode.Parse(runs.GetRawText())!.AsObject();
                section["state"]!["type"]!["any_"] = new JsonArray(type);
                request.Sections["flow_runs"] = JsonSerializer.SerializeToElement(section);
                arms.Add(SqlWhere.Join(FlowRunWhere(new FilterTranslator(where, probe, collectText: !probe), request)));
            }
        }
        finally
        {
            request.Sections["flow_runs"] = runs;
        }

        return arms;
    }

    private static List<string>? SplitStateTypes(FilterRequest request)
    {
        if (!request.Sections.TryGetValue("flow_runs", out var runs) || runs.ValueKind != JsonValueKind.Object
            || !IsAnd(runs) || !runs.TryGetProperty("state", out var state) || state.ValueKind != JsonValueKind.Object || !IsAnd(state)
            || !state.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.Object
            || !type.TryGetProperty("any_", out var any) || any.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        if (any.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
        {
            return null;
        }

        var types = any.EnumerateArray().Select(t => t.GetString()!).Distinct(StringComparer.Ordinal).ToList();
        return types.Count is > 1 and <= 10 ? types : null;
    }

    /// <summary>The tag of a filter whose flow-run tags condition is exactly <c>{"all_": [tag]}</c>, joined with AND.</summary>
    private static string? SingleTag(FilterRequest request)
    {
        if (!request.Sections.TryGetValue("flow_runs", out var runs) || runs.ValueKind != JsonValueKind.Object || !IsAnd(runs)
            || !runs.TryGetProperty("tags", out var tags) || tags.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var operators = tags.EnumerateObject().Where(op => op.Value.ValueKind != JsonValueKind.Null).ToList();
        if (operators is not [{ Name: "all_", Value: { ValueKind: JsonValueKind.Array } all }]
            || all.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
        {
            return null;
        }

        var distinct = all.EnumerateArray().Select(t => t.GetString()!).Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count == 1 ? distinct[0] : null;
    }

    private static bool HasRunCondition(FilterRequest request, string field) =>
        request.Sections.TryGetValue("flow_runs", out var runs) && runs.ValueKind == JsonValueKind.Object
        && runs.TryGetProperty(field, out var condition) && condition.ValueKind != JsonValueKind.Null;

    private static bool IsAnd(JsonElement entity) =>
        !entity.TryGetProperty("operator", out var op) || op.ValueKind == JsonValueKind.Null || (op.ValueKind == JsonValueKind.String && op.GetString() == "and_");
}
