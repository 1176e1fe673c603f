using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.FlowRuns;

/// <summary>Rows of <c>flow_runs</c> and <c>flow_run_states</c>.</summary>
internal static class FlowRunStore
{
    public static async Task<bool> InsertAsync(DbSession session, FlowRun run, CancellationToken cancellationToken)
    {
        await using var command = Bind(session.Named("flow_runs.insert"), run);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Inserts a new run with its first state (if any) in one round trip.</summary>
    /// <returns>False when a run with the same idempotency key exists: nothing was written.</returns>
    public static async Task<bool> CreateAsync(DbSession session, FlowRun run, State? first, CancellationToken cancellationToken)
    {
        if (first is null)
        {
            return await InsertAsync(session, run, cancellationToken).ConfigureAwait(false);
        }

        await using var command = Bind(session.Named("flow_runs.create"), run).Add("state_id", first.Id).AddJson("state_data", first);
        return await command.ExecuteExpectingAsync(2, cancellationToken).ConfigureAwait(false) == 2;
    }

    public static async Task<bool> UpdateAsync(DbSession session, FlowRun run, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var command = Bind(session.Named("flow_runs.update"), run).Add("version", expectedVersion);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Updates the run row (if still at <paramref name="expectedVersion"/>) and appends <paramref name="written"/>,
    /// its new current state, in one round trip.</summary>
    /// <exception cref="Grains.Orchestration.ConcurrencyConflictException">The row changed since it was read.</exception>
    public static async Task TransitionAsync(DbSession session, FlowRun run, long expectedVersion, State written, CancellationToken cancellationToken)
    {
        await using var command = Bind(session.Named("flow_runs.transition"), run)
            .Add("version", expectedVersion).Add("state_id", written.Id).AddJson("state_data", written);
        if (await command.ExecuteExpectingAsync(2, cancellationToken).ConfigureAwait(false) != 2)
        {
            throw new Grains.Orchestration.ConcurrencyConflictException($"Flow run {run.Id} changed while its state was being set.");
        }
    }

    /// <summary>Reads a run with its row version (writes are conditional on that version).</summary>
    public static async Task<(FlowRun Run, long Version)?> GetAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("flow_runs.get").Add("id", id);
        return await command.FirstOrDefaultAsync<(FlowRun, long)?>(r => (Rows.Json<FlowRun>(r, 0), r.GetInt64(1)), cancellationToken).ConfigureAwait(false);
    }

    public static async Task<FlowRun?> FindByIdempotencyKeyAsync(DbSession session, Guid flowId, string key, CancellationToken cancellationToken)
    {
        await using var command = session.Named("flow_runs.by_idempotency_key").Add("flow_id", flowId).Add("idempotency_key", key);
        return await command.FirstJsonAsync<FlowRun>(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<bool> DeleteAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("flow_runs.delete").Add("id", id);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public static async Task<List<State>> ListStatesAsync(DbSession session, Guid runId, CancellationToken cancellationToken)
    {
        await using var command = session.Named("flow_run_states.list").Add("run_id", runId);
        return await command.ListJsonAsync<State>(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<State?> GetStateAsync(DbSession session, Guid stateId, CancellationToken cancellationToken)
    {
        await using var command = session.Named("flow_run_states.get").Add("id", stateId);
        return await command.FirstJsonAsync<State>(cancellationToken).ConfigureAwait(false);
    }

    private static SqlCommand Bind(SqlCommand command, FlowRun run) => command
        .Add("id", run.Id).Add("flow_id", run.FlowId).Add("name", run.Name)
        .Add("state_type", run.StateType).Add("state_name", run.StateName).Add("state_timestamp", run.State?.Timestamp)
        .Add("expected_start_time", run.ExpectedStartTime).Add("next_scheduled_start_time", run.NextScheduledStartTime)
        .Add("start_time", run.StartTime).Add("end_time", run.EndTime).Add("deployment_id", run.DeploymentId)
        .Add("work_queue_name", run.WorkQueueName).Add("work_queue_id", run.WorkQueueId).Add("work_pool_id", run.WorkPoolId)
        .Add("parent_task_run_id", run.ParentTaskRunId).Add("idempotency_key", run.IdempotencyKey)
        .Add("flow_version", run.FlowVersion).AddTags("tags", run.Tags).Add("created", run.Created).Add("updated", run.Updated)
        .AddJson("data", run);
}
