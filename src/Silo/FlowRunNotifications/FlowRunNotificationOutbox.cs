using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrleansFlow.Grains.Json;
using OrleansFlow.Grains.Notifications;
using OrleansFlow.Silo.Blocks;
using OrleansFlow.Silo.Flows;
using OrleansFlow.Silo.Notifications;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.FlowRunNotifications;

/// <summary>Sends the queued flow run notifications: renders the policy's template with the run, its flow and the state
/// that was entered, and sends it through the policy's block (a notification block: the message is the body, under
/// <see cref="FlowRunNotificationTemplate.Subject"/>; a webhook block: the message is the payload). A notification is
/// marked sent with its result once the block answered, so one interrupted before is sent again (at least once). One
/// whose policy, run or state no longer exists is marked sent without sending, as is one whose block cannot send; a
/// failed send is not tried again (Prefect's service logs it and moves on; <see cref="NotificationSender"/> has already
/// retried what is safe to retry).</summary>
internal sealed partial class FlowRunNotificationOutbox(OrleansFlowSilo silo, NotificationSender sender, ILogger<FlowRunNotificationOutbox> logger)
    : IFlowRunNotificationOutbox
{
    /// <summary>How long a sent notification's row is kept: an event delivered again within that time (a dispatcher that
    /// restarted below its last delivery, a PostgreSQL sequence gap that filled) finds it and queues nothing.</summary>
    public static readonly TimeSpan KeepSent = TimeSpan.FromHours(1);

    public int BatchSize => 20;

    public async Task<int> SendNextAsync(CancellationToken cancellationToken)
    {
        var now = silo.Clock.GetUtcNow();
        var pending = await silo.Database.WriteAsync(async session =>
        {
            await FlowRunNotificationStore.ForgetSentAsync(session, now - KeepSent, cancellationToken).ConfigureAwait(false);
            return await FlowRunNotificationStore.PendingAsync(session, BatchSize, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        foreach (var notification in pending)
        {
            var result = await SendAsync(notification, cancellationToken).ConfigureAwait(false);
            await silo.Database.WriteAsync(async session =>
            {
                await FlowRunNotificationStore.MarkSentAsync(session, notification.Id, result, silo.Clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }

        return pending.Count;
    }

    private async Task<string> SendAsync(QueuedNotification notification, CancellationToken cancellationToken)
    {
        if (notification.BlockDocumentId is not { } blockId)
        {
            return "skipped: the policy was deleted";
        }

        var run = await silo.FlowRun(notification.FlowRunId).GetAsync(cancellationToken).ConfigureAwait(false);
        var state = run is null
            ? null
            : await silo.Database.ReadAsync(session => FlowRunNotificationStore.StateOfRunAsync(session, notification.FlowRunId, notification.StateId, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        if (run is null || state is null)
        {
            return "skipped: the flow run or its state no longer exists";
        }

        var flow = await new FlowCatalog(silo).GetAsync(run.FlowId, cancellationToken).ConfigureAwait(false);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["flow_run_notification_policy_id"] = notification.PolicyId.ToString("D"),
            ["flow_id"] = run.FlowId.ToString("D"),
            ["flow_name"] = flow?.Name ?? "None",
            ["flow_run_url"] = $"{silo.Options.UiUrl.TrimEnd('/')}/runs/{run.Id:D}",
            ["flow_run_id"] = run.Id.ToString("D"),
            ["flow_run_name"] = run.Name,
            ["flow_run_parameters"] = FlowRunNotificationTemplate.PythonText(run.Parameters),
            ["flow_run_state_type"] = JsonNamingPolicy.SnakeCaseUpper.ConvertName(state.Type.ToString()),
            ["flow_run_state_name"] = state.Name,
            ["flow_run_state_timestamp"] = UtcTimeText.Prefect(state.Timestamp),
            ["flow_run_state_message"] = state.Message ?? "None",
        };
        string message;
        try
        {
            message = FlowRunNotificationTemplate.Render(notification.MessageTemplate ?? FlowRunNotificationTemplate.Default, values);
        }
        catch (FormatException ex)
        {
            return "failed: " + ex.Message;
        }

        var document = await new BlockDocumentCatalog(silo).GetAsync(blockId, includeSecrets: false, cancellationToken).ConfigureAwait(false);
        var sent = document?.BlockType?.Slug == NotificationSender.WebhookSlug
            ? await sender.CallWebhookAsync(blockId, message, cancellationToken).ConfigureAwait(false)
            : await sender.SendAsync(blockId, FlowRunNotificationTemplate.Subject, message, cancellationToken).ConfigureAwait(false);
        if (sent.Ok)
        {
            return "sent" + (sent.StatusCode is { } code ? string.Create(CultureInfo.InvariantCulture, $": {code}") : "");
        }

        LogSendFailed(logger, notification.PolicyId, notification.FlowRunId, sent.Error ?? "no answer");
        return "failed: " + (sent.Error ?? "no answer");
    }

    [LoggerMessage(EventId = 4321, Level = LogLevel.Warning, Message = "Sending the notification of policy {PolicyId} for flow run {FlowRunId} failed: {Error}")]
    private static partial void LogSendFailed(ILogger logger, Guid policyId, Guid flowRunId, string error);
}
