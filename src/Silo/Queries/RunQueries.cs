using System.Text.Json;
using OrleansFlow.Grains.Flows;
using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.States;
using OrleansFlow.Grains.TaskRuns;
using OrleansFlow.Silo.FlowRuns;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.TaskRuns;

namespace OrleansFlow.Silo.Queries;

/// <summary>Read-side queries over flows, flow runs and task runs: Prefect's <c>/filter</c> and <c>/count</c> bodies,
/// state histories. Reads never take grain turns.</summary>
public sealed partial class RunQueries(OrleansFlowSilo silo)
{
    private static readonly HashSet<string> RunSections = ["flows", "flow_runs", "task_runs", "deployments", "work_pools", "work_pool_queues"];

    private static readonly Dictionary<string, string> FlowRunSorts = new()
    {
        ["ID_DESC"] = "id DESC",
        ["START_TIME_ASC"] = "start_time ASC NULLS LAST, id ASC",
        ["START_TIME_DESC"] = "start_time DESC NULLS LAST, id DESC",
        ["EXPECTED_START_TIME_ASC"] = "expected_start_time ASC NULLS LAST, id ASC",
        ["EXPECTED_START_TIME_DESC"] = "expected_start_time DESC NULLS LAST, id DESC",
        ["NAME_ASC"] = "name ASC, id ASC",
        ["NAME_DESC"] = "name DESC, id DESC",
        ["NEXT_SCHEDULED_START_TIME_ASC"] = "next_scheduled_start_time ASC NULLS LAST, id ASC",
        ["END_TIME_DESC"] = "end_time DESC NULLS LAST, id DESC",
    };

    // Prefect's task-run sorts are the flow-run sorts without start time.
    private static readonly Dictionary<string, string> TaskRunSorts =
        FlowRunSorts.Where(sort => !sort.Key.StartsWith("START_TIME", StringComparison.Ordinal)).ToDictionary();

    private static readonly Dictionary<string, string> FlowSorts = new()
    {
        ["CREATED_DESC"] = "created DESC, id DESC",
        ["UPDATED_DESC"] = "updated DESC, id DESC",
        ["NAME_ASC"] = "name ASC",
        ["NAME_DESC"] = "name DESC",
    };

    /// <summary>Flow runs matching a Prefect filter body.</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public Task<List<FlowRun>> FilterFlowRunsAsync(JsonElement body, CancellationToken cancellationToken) =>
        FlowRunListAsync(FilterRequest.Parse(body, RunSections, paged: true), probe: false, cancellationToken);

    /// <summary>How many flow runs match a Prefect filter body.</summary>
    public Task<long> CountFlowRunsAsync(JsonElement body, CancellationToken cancellationToken) =>
        CountAsync("flow_runs", body, FlowRunWhere, cancellationToken);

    /// <summary>Task runs matching a Prefect filter body.</summary>
    public Task<List<TaskRun>> FilterTaskRunsAsync(JsonElement body, CancellationToken cancellationToken) =>
        ListAsync<TaskRun>("task_runs", body, TaskRunWhere, TaskRunSorts, "ID_DESC", cancellationToken);

    /// <summary>How many task runs match a Prefect filter body.</summary>
    public Task<long> CountTaskRunsAsync(JsonElement body, CancellationToken cancellationToken) =>
        CountAsync("task_runs", body, TaskRunWhere, cancellationToken);

    /// <summary>How many task runs match a Prefect filter body, counted no further than <paramref name="cap"/> + 1 (a list
    /// page's "10,000+").</summary>
    /// <exception cref="FilterException">The body is not a valid filter.</exception>
    public Task<long> CountTaskRunsAsync(JsonElement body, long cap, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cap);
        return CountAsync("task_runs", body, TaskRunWhere, cancellationToken, cap);
    }

    /// <summary>Flows matching a Prefect filter body.</summary>
    public Task<List<Flow>> FilterFlowsAsync(JsonElement body, CancellationToken cancellationToken) =>
        ListAsync<Flow>("flows", body, FlowWhere, FlowSorts, "NAME_ASC", cancellationToken);

    /// <summary>How many flows match a Prefect filter body.</summary>
    public Task<long> CountFlowsAsync(JsonElement body, CancellationToken cancellationToken) =>
        CountAsync("flows", body, FlowWhere, cancellationToken);

    /// <summary>The states of a flow run, oldest first.</summary>
    public Task<List<State>> FlowRunStatesAsync(Guid flowRunId, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => FlowRunStore.ListStatesAsync(session, flowRunId, cancellationToken), cancellationToken);

    /// <summary>The states of a task run, oldest first.</summary>
    public Task<List<State>> TaskRunStatesAsync(Guid taskRunId, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => TaskRunStore.ListStatesAsync(session, taskRunId, cancellationToken), cancellationToken);

    /// <summary>One flow-run state by id.</summary>
    public Task<State?> FlowRunStateAsync(Guid id, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => FlowRunStore.GetStateAsync(session, id, cancellationToken), cancellationToken);

    /// <summary>One task-run state by id.</summary>
    public Task<State?> TaskRunStateAsync(Guid id, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(session => TaskRunStore.GetStateAsync(session, id, cancellationToken), cancellationToken);

    private static List<string> FlowRunWhere(FilterTranslator t, FilterRequest request)
    {
        var clauses = new List<string>();
        Add(clauses, t.Entity(request.Section("flow_runs"), FilterFields.FlowRuns, ["flow_runs"]));
        Add(clauses, t.Entity(request.Section("flows"), FilterFields.Flows, ["flows"]), "flow_id IN (SELECT id FROM flows WHERE {0})");
        Add(clauses, t.Entity(request.Section("task_runs"), FilterFields.TaskRuns, ["task_runs"]), "id IN (SELECT flow_run_id FROM task_runs WHERE {0})");
        AddDeploymentSections(clauses, t, request, "{0}");
        return clauses;
    }

    private static List<string> TaskRunWhere(FilterTranslator t, FilterRequest request)
    {
        var clauses = new List<string>();
        Add(clauses, t.Entity(request.Section("task_runs"), FilterFields.TaskRuns, ["task_runs"]));
        Add(clauses, t.Entity(request.Section("flow_runs"), FilterFields.FlowRuns, ["flow_runs"]), "flow_run_id IN (SELECT id FROM flow_runs WHERE {0})");
        Add(clauses, t.Entity(request.Section("flows"), FilterFields.Flows, ["flows"]),
            "flow_run_id IN (SELECT id FROM flow_runs WHERE flow_id IN (SELECT id FROM flows WHERE {0}))");
        AddDeploymentSections(clauses, t, request, "flow_run_id IN (SELECT id FROM flow_runs WHERE {0})");
        return clauses;
    }

    private static List<string> FlowWhere(FilterTranslator t, FilterRequest request)
    {
        var clauses = new List<string>();
        Add(clauses, t.Entity(request.Section("flows"), FilterFields.Flows, ["flows"]));
        Add(clauses, t.Entity(request.Section("flow_runs"), FilterFields.FlowRuns, ["flow_runs"]), "id IN (SELECT flow_id FROM flow_runs WHERE {0})");
        Add(clauses, t.Entity(request.Section("task_runs"), FilterFields.TaskRuns, ["task_runs"]),
            "id IN (SELECT flow_id FROM flow_runs WHERE id IN (SELECT flow_run_id FROM task_runs WHERE {0}))");
        AddDeploymentSections(clauses, t, request, "id IN (SELECT flow_id FROM flow_runs WHERE {0})");
        return clauses;
    }

    /// <summary>The <c>deployments</c>, <c>work_pools</c> and <c>work_pool_queues</c> sections as conditions on flow-run
    /// columns (<paramref name="format"/> is how the filtered table reaches its flow run's columns).</summary>
    private static void AddDeploymentSections(List<string> clauses, FilterTranslator t, FilterRequest request, string format)
    {
        Add(clauses, t.Entity(request.Section("deployments"), Deployments.DeploymentFilterFields.Deployments, ["deployments"]),
            string.Format(System.Globalization.CultureInfo.InvariantCulture, format, "deployment_id IN (SELECT id FROM deployments WHERE {0})"));
        Add(clauses, t.Entity(request.Section("work_pools"), WorkPools.WorkPoolFilterFields.WorkPools, ["work_pools"]),
            string.Format(System.Globalization.CultureInfo.InvariantCulture, format,
                "work_queue_id IN (SELECT id FROM work_queues WHERE work_pool_id IN (SELECT id FROM work_pools WHERE {0}))"));
        Add(clauses, t.Entity(request.Section("work_pool_queues"), WorkPools.WorkPoolFilterFields.WorkQueues, ["work_pool_queues"]),
            string.Format(System.Globalization.CultureInfo.InvariantCulture, format, "work_queue_id IN (SELECT id FROM work_queues WHERE {0})"));
    }

    private static void Add(List<string> clauses, string? clause, string format = "{0}")
    {
        if (clause is not null)
        {
            clauses.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, clause));
        }
    }

    private Task<List<T>> ListAsync<T>(string table, JsonElement body, Func<FilterTranslator, FilterRequest, List<string>> build,
        Dictionary<string, string> sorts, string defaultSort, CancellationToken cancellationToken)
    {
        var request = FilterRequest.Parse(body, RunSections, paged: true);
        var sort = request.Sort ?? defaultSort;
        if (!sorts.TryGetValue(sort, out var orderBy))
        {
            throw new FilterException(["sort"], $"value is not a valid enumeration member; permitted: {string.Join(", ", sorts.Keys.Select(k => $"'{k}'"))}");
        }

        var where = new SqlWhere(silo.Database.Dialect);
        var clauses = build(new FilterTranslator(where), request);
        var sql = $"SELECT data FROM {table} WHERE {SqlWhere.Join(clauses)} ORDER BY {orderBy} LIMIT {where.Param(request.Limit)} OFFSET {where.Param(request.Offset)}";
        return silo.Database.ReadAsync(async session =>
        {
            await using var command = where.Bind(session.Text(sql));
            return await command.ListJsonAsync<T>(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    private Task<long> CountAsync(string table, JsonElement body, Func<FilterTranslator, FilterRequest, List<string>> build, CancellationToken cancellationToken,
        long? cap = null)
    {
        var request = FilterRequest.Parse(body, RunSections, paged: false);
        var where = new SqlWhere(silo.Database.Dialect);
        var condition = SqlWhere.Join(build(new FilterTranslator(where), request));
        var sql = cap is { } most
            ? $"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {condition} LIMIT {where.Param(most + 1)}) AS capped"
            : $"SELECT COUNT(*) FROM {table} WHERE {condition}";
        return silo.Database.ReadAsync(async session =>
        {
            await using var command = where.Bind(session.Text(sql));
            return await command.CountAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }
}
