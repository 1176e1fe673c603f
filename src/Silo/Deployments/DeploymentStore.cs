using OrleansFlow.Grains.Deployments;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Deployments;

/// <summary>Rows of <c>deployments</c>.</summary>
internal static class DeploymentStore
{
    public static async Task<bool> InsertAsync(DbSession session, Deployment deployment, Guid? queueId, CancellationToken cancellationToken)
    {
        await using var command = Bind(session.Named("deployments.insert"), deployment, queueId)
            .Add("flow_id", deployment.FlowId).Add("name", deployment.Name).Add("created", deployment.Created);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public static async Task UpdateAsync(DbSession session, Deployment deployment, Guid? queueId, CancellationToken cancellationToken)
    {
        await using var command = Bind(session.Named("deployments.update"), deployment, queueId);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<Deployment?> GetAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("deployments.by_id").Add("id", id);
        return await command.FirstJsonAsync<Deployment>(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<Deployment?> ByFlowAndNameAsync(DbSession session, Guid flowId, string name, CancellationToken cancellationToken)
    {
        await using var command = session.Named("deployments.by_flow_and_name").Add("flow_id", flowId).Add("name", name);
        return await command.FirstJsonAsync<Deployment>(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<Deployment?> ByNameAsync(DbSession session, string flowName, string name, CancellationToken cancellationToken)
    {
        await using var command = session.Named("deployments.by_name").Add("flow_name", flowName).Add("name", name);
        return await command.FirstJsonAsync<Deployment>(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The deployments of the flow with id <paramref name="flowId"/>.</summary>
    public static async Task<List<Deployment>> OfFlowAsync(DbSession session, Guid flowId, CancellationToken cancellationToken)
    {
        await using var command = session.Text($"{SqlCatalog.Get(session.Dialect, "deployments.select")} WHERE flow_id = @flow_id ORDER BY id").Add("flow_id", flowId);
        return await command.ListJsonAsync<Deployment>(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The deployments whose runs go to the work queue with id <paramref name="queueId"/>.</summary>
    public static async Task<List<Deployment>> OfQueueAsync(DbSession session, Guid queueId, CancellationToken cancellationToken)
    {
        await using var command = session.Text($"{SqlCatalog.Get(session.Dialect, "deployments.select")} WHERE work_queue_id = @work_queue_id ORDER BY id")
            .Add("work_queue_id", queueId);
        return await command.ListJsonAsync<Deployment>(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<bool> DeleteAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("deployments.delete").Add("id", id);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Ids of the deployment's auto-scheduled runs still SCHEDULED and due after <paramref name="now"/>.</summary>
    public static async Task<List<Guid>> FutureScheduledRunsAsync(DbSession session, Guid deploymentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = session.Named("deployments.future_scheduled_runs").Add("deployment_id", deploymentId).Add("now", now);
        return await command.ListAsync(r => Rows.Guid(r, 0), cancellationToken).ConfigureAwait(false);
    }

    private static SqlCommand Bind(SqlCommand command, Deployment deployment, Guid? queueId) => command
        .Add("id", deployment.Id).Add("work_queue_name", deployment.WorkQueueName).Add("work_queue_id", queueId)
        .Add("work_pool_name", deployment.WorkPoolName).Add("is_schedule_active", deployment.IsScheduleActive)
        .Add("has_schedule", deployment.Schedule is { ValueKind: not System.Text.Json.JsonValueKind.Null } || deployment.Schedules.Count > 0)
        .AddTags("tags", deployment.Tags).Add("updated", deployment.Updated).AddJson("data", deployment);
}
