using System.Data.Common;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.FlowRunNotifications;

/// <summary>Rows of <c>flow_run_notification_policies</c> and <c>flow_run_notification_queue</c>.</summary>
internal static class FlowRunNotificationStore
{
    public static async Task InsertAsync(DbSession session, FlowRunNotificationPolicy policy, CancellationToken cancellationToken)
    {
        await using var command = Bind(session.Named("flow_run_notification_policies.insert"), policy).Add("now", policy.Created);
        await command.ExecuteExpectingAsync(1, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<FlowRunNotificationPolicy?> GetAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("flow_run_notification_policies.by_id").Add("id", id);
        return await command.FirstOrDefaultAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<List<FlowRunNotificationPolicy>> ActiveAsync(DbSession session, CancellationToken cancellationToken)
    {
        await using var command = session.Named("flow_run_notification_policies.active").Add("active", true);
        return await command.ListAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    public static async Task UpdateAsync(DbSession session, FlowRunNotificationPolicy policy, CancellationToken cancellationToken)
    {
        await using var command = Bind(session.Named("flow_run_notification_policies.update"), policy).Add("now", policy.Updated);
        await command.ExecuteExpectingAsync(1, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<bool> DeleteAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("flow_run_notification_policies.delete").Add("id", id);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Queues the notification <paramref name="policyId"/> owes for <paramref name="stateId"/>; false when it was
    /// queued before (the same event delivered again).</summary>
    public static async Task<bool> EnqueueAsync(DbSession session, Guid id, Guid policyId, Guid flowRunId, Guid stateId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var command = session.Named("flow_run_notification_queue.insert")
            .Add("id", id).Add("policy_id", policyId).Add("flow_run_id", flowRunId).Add("state_id", stateId).Add("now", now);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>The oldest <paramref name="limit"/> notifications not sent yet, with their policy's block and template
    /// (a null block: the policy was deleted).</summary>
    public static async Task<List<QueuedNotification>> PendingAsync(DbSession session, int limit, CancellationToken cancellationToken)
    {
        await using var command = session.Named("flow_run_notification_queue.pending").Add("limit", limit);
        return await command.ListAsync(r => new QueuedNotification(
            Rows.Guid(r, 0), Rows.Guid(r, 1), Rows.Guid(r, 2), Rows.Guid(r, 3), Rows.NullableGuid(r, 4), Rows.String(r, 5)), cancellationToken).ConfigureAwait(false);
    }

    public static async Task MarkSentAsync(DbSession session, Guid id, string result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = session.Named("flow_run_notification_queue.mark_sent").Add("id", id).Add("result", result).Add("now", now);
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<int> ForgetSentAsync(DbSession session, DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = session.Named("flow_run_notification_queue.forget_sent").Add("before", before);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The state <paramref name="stateId"/> of the flow run <paramref name="flowRunId"/>, or null.</summary>
    public static async Task<State?> StateOfRunAsync(DbSession session, Guid flowRunId, Guid stateId, CancellationToken cancellationToken)
    {
        await using var command = session.Named("flow_run_states.get_of_run").Add("id", stateId).Add("flow_run_id", flowRunId);
        return await command.FirstJsonAsync<State>(cancellationToken).ConfigureAwait(false);
    }

    public static FlowRunNotificationPolicy Map(DbDataReader reader) => new()
    {
        Id = Rows.Guid(reader, 0),
        IsActive = reader.GetBoolean(1),
        StateNames = Rows.Tags(reader, 2),
        Tags = Rows.Tags(reader, 3),
        BlockDocumentId = Rows.Guid(reader, 4),
        MessageTemplate = Rows.String(reader, 5),
        Created = Rows.Time(reader, 6),
        Updated = Rows.Time(reader, 7),
    };

    private static SqlCommand Bind(SqlCommand command, FlowRunNotificationPolicy policy) => command
        .Add("id", policy.Id).Add("is_active", policy.IsActive).AddTags("state_names", policy.StateNames).AddTags("tags", policy.Tags)
        .Add("block_document_id", policy.BlockDocumentId).Add("message_template", policy.MessageTemplate);
}

/// <summary>A row of <c>flow_run_notification_queue</c> with its policy's block and template.</summary>
internal sealed record QueuedNotification(Guid Id, Guid PolicyId, Guid FlowRunId, Guid StateId, Guid? BlockDocumentId, string? MessageTemplate);
