using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.States;
using OrleansFlow.Grains.TaskRuns;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.TaskRuns;

/// <summary>Rows of <c>task_runs</c>, <c>task_run_states</c> and the task cache.</summary>
internal static class TaskRunStore
{
    public static async Task<bool> InsertAsync(DbSession session, TaskRun run, CancellationToken cancellationToken)
    {
        await using var command = Bind(session.Named("task_runs.insert"), run)
            .Add("flow_run_id", run.FlowRunId).Add("task_key", run.TaskKey).Add("dynamic_key", run.DynamicKey);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Inserts a new run with its first state (if any) in one round trip.</summary>
    /// <returns>False when the flow run already has a run with the same task and dynamic key: nothing was written.</returns>
    public static async Task<bool> CreateAsync(DbSession session, TaskRun run, State? first, CancellationToken cancellationToken)
    {
        if (first is null)
        {
            return await InsertAsync(session, run, cancellationToken).ConfigureAwait(false);
        }

        await using var command = Bind(session.Named("task_runs.create"), run)
            .Add("flow_run_id", run.FlowRunId).Add("task_key", run.TaskKey).Add("dynamic_key", run.DynamicKey)
            .Add("state_id", first.Id).AddJson("state_data", first);
        return await command.ExecuteExpectingAsync(2, cancellationToken).ConfigureAwait(false) == 2;
    }

    public static async Task<bool> UpdateAsync(DbSession session, TaskRun run, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var command = Bind(session.Named("task_runs.update"), run).Add("version", expectedVersion);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Updates the run row (if still at <paramref name="expectedVersion"/>) and appends <paramref name="written"/>,
    /// its new current state, in one round trip.</summary>
    /// <exception cref="Grains.Orchestration.ConcurrencyConflictException">The row changed since it was read.</exception>
    public static async Task TransitionAsync(DbSession session, TaskRun run, long expectedVersion, State written, CancellationToken cancellationToken)
    {
        await using var command = Bind(session.Named("task_runs.transition"), run)
            .Add("version", expectedVersion).Add("state_id", written.Id).AddJson("state_data", written);
        if (await command.ExecuteExpectingAsync(2, cancellationToken).ConfigureAwait(false) != 2)
        {
            throw new Grains.Orchestration.ConcurrencyConflictException($"Task run {run.Id} changed while its state was being set.");
        }
    }

    /// <summary>Reads a task run (with its row version) together with its flow run, in one round trip.</summary>
    public static async Task<(TaskRun Run, long Version, FlowRun? FlowRun)?> GetWithFlowRunAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("task_runs.get_with_flow_run").Add("id", id);
        return await command.FirstOrDefaultAsync<(TaskRun, long, FlowRun?)?>(
            r => (Rows.Json<TaskRun>(r, 0), r.GetInt64(1), r.IsDBNull(2) ? null : Rows.Json<FlowRun>(r, 2)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The task runs (id, tags) that the named statement selects with the single parameter <c>@id</c>: read
    /// before deleting them, so that their slots can be given back after the delete commits.</summary>
    public static async Task<List<(Guid Id, IReadOnlyList<string> Tags)>> TaggedAsync(DbSession session, string selectRuns, Guid id,
        CancellationToken cancellationToken)
    {
        await using var select = session.Named(selectRuns).Add("id", id);
        return await select.ListAsync(r => (Rows.Guid(r, 0), Rows.Tags(r, 1)), cancellationToken).ConfigureAwait(false);
    }

    public static async Task<(TaskRun Run, long Version)?> GetAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("task_runs.get").Add("id", id);
        return await command.FirstOrDefaultAsync<(TaskRun, long)?>(r => (Rows.Json<TaskRun>(r, 0), r.GetInt64(1)), cancellationToken).ConfigureAwait(false);
    }

    public static async Task<TaskRun?> FindByKeyAsync(DbSession session, TaskRun run, CancellationToken cancellationToken)
    {
        await using var command = session.Named("task_runs.by_key")
            .Add("flow_run_id", run.FlowRunId).Add("task_key", run.TaskKey).Add("dynamic_key", run.DynamicKey);
        return await command.FirstJsonAsync<TaskRun>(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<bool> DeleteAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("task_runs.delete").Add("id", id);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public static async Task<List<State>> ListStatesAsync(DbSession session, Guid runId, CancellationToken cancellationToken)
    {
        await using var command = session.Named("task_run_states.list").Add("run_id", runId);
        return await command.ListJsonAsync<State>(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<State?> GetStateAsync(DbSession session, Guid stateId, CancellationToken cancellationToken)
    {
        await using var command = session.Named("task_run_states.get").Add("id", stateId);
        return await command.FirstJsonAsync<State>(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest unexpired COMPLETED state cached under <paramref name="cacheKey"/>.</summary>
    public static async Task<State?> LookupCacheAsync(DbSession session, string cacheKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = session.Named("task_cache.lookup").Add("cache_key", cacheKey).Add("now", now);
        return await command.FirstJsonAsync<State>(cancellationToken).ConfigureAwait(false);
    }

    public static async Task InsertCacheAsync(DbSession session, State state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = session.Named("task_cache.insert")
            .Add("cache_key", state.StateDetails.CacheKey).Add("cache_expiration", state.StateDetails.CacheExpiration)
            .Add("state_id", state.Id).Add("created", now).AddJson("state", state);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static SqlCommand Bind(SqlCommand command, TaskRun run) => command
        .Add("id", run.Id).Add("name", run.Name)
        .Add("state_type", run.StateType).Add("state_name", run.StateName).Add("state_timestamp", run.State?.Timestamp)
        .Add("expected_start_time", run.ExpectedStartTime).Add("next_scheduled_start_time", run.NextScheduledStartTime)
        .Add("start_time", run.StartTime).Add("end_time", run.EndTime).Add("cache_key", run.CacheKey)
        .AddTags("tags", run.Tags).Add("created", run.Created).Add("updated", run.Updated).AddJson("data", run);
}
