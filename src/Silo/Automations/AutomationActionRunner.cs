using OrleansFlow.Grains.Automations;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Deployments;
using OrleansFlow.Silo.Notifications;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.WorkPools;

namespace OrleansFlow.Silo.Automations;

/// <summary>Executes the actions of one firing, in order, writing the firing's row after each so a silo that dies
/// mid-way resumes at the first action without a final result. Running a deployment carries an idempotency key made of
/// the automation's id, the firing's id and the action's index, so executing a firing twice never makes a second run.
/// Pausing and resuming are idempotent by nature. Notifications and webhooks are sent at least once: a silo that dies
/// after sending but before writing the result sends again when the firing resumes.</summary>
internal sealed class AutomationActionRunner(OrleansFlowSilo silo, NotificationSender sender)
{
    /// <summary>Prefect's idempotency key of a run-deployment action's run.</summary>
    public static string IdempotencyKey(Guid automationId, Guid firingId, int actionIndex) =>
        $"automation {automationId}, action {actionIndex}, invocation {firingId}";

    /// <summary>Executes the pending actions of <paramref name="firing"/>; returns the firing with every result and its
    /// final status. <paramref name="onSelf"/> applies a pause/resume of the automation itself (the grain cannot call
    /// itself).</summary>
    public async Task<AutomationFiring> ExecuteAsync(Automation automation, AutomationFiring firing, Func<bool, Task> onSelf, CancellationToken cancellationToken)
    {
        var actions = automation.ActionsOnFiring();
        var messages = new AutomationMessages(silo, sender, automation, firing);
        var results = firing.ActionResults.ToList();
        for (var i = 0; i < results.Count && i < actions.Count; i++)
        {
            if (results[i].Status != AutomationActionResult.Pending)
            {
                continue;
            }

            AutomationActionResult result;
            try
            {
                result = await ExecuteAsync(automation, firing, messages, actions[i], i, onSelf, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                result = Failed(i, actions[i], ex.Message);
            }

            await AutomationActionHold.AfterActionAsync(firing, result).ConfigureAwait(false);
            results[i] = result;
            firing = firing with { ActionResults = [.. results], Updated = silo.Clock.GetUtcNow() };
            var written = firing;
            await silo.Database.WriteAsync(async session =>
            {
                await AutomationStore.UpdateFiringAsync(session, written, cancellationToken).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }

        var status = results.All(r => r.Status == AutomationActionResult.Completed) ? "completed" : "failed";
        firing = firing with { Status = status, ActionResults = [.. results], Updated = silo.Clock.GetUtcNow() };
        var final = firing;
        await silo.Database.WriteAsync(async session =>
        {
            await AutomationStore.UpdateFiringAsync(session, final, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return firing;
    }

    private async Task<AutomationActionResult> ExecuteAsync(Automation automation, AutomationFiring firing, AutomationMessages messages,
        AutomationAction action, int index, Func<bool, Task> onSelf, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case DoNothingAction:
                return Completed(index, action, "Did nothing.", null);
            case RunDeploymentAction run:
                return await RunDeploymentAsync(automation, firing, run, index, cancellationToken).ConfigureAwait(false);
            case TargetedAction targeted:
                return await TargetAsync(automation, firing, targeted, index, onSelf, cancellationToken).ConfigureAwait(false);
            case FlowRunStateAction state:
                return await SetFlowRunStateAsync(automation, firing, state, index, cancellationToken).ConfigureAwait(false);
            case SendNotificationAction notification:
                return await messages.SendAsync(notification, index, cancellationToken).ConfigureAwait(false);
            case CallWebhookAction webhook:
                return await messages.CallAsync(webhook, index, cancellationToken).ConfigureAwait(false);
            default:
                return Failed(index, action, $"Unknown action type '{action.Type}'.");
        }
    }

    private async Task<AutomationActionResult> RunDeploymentAsync(Automation automation, AutomationFiring firing, RunDeploymentAction run, int index,
        CancellationToken cancellationToken)
    {
        if (Target(run.Source, run.DeploymentId, firing, "prefect.deployment") is not { } deploymentId)
        {
            return Failed(index, run, "No deployment could be inferred from the triggering event.");
        }

        var request = new DeploymentRunRequest
        {
            Name = $"automation-{firing.Id.ToString("N")[..12]}",
            Parameters = run.Parameters,
            IdempotencyKey = IdempotencyKey(automation.Id, firing.Id, index),
            State = new ProposedState
            {
                Type = StateType.Scheduled,
                Message = $"Run by Automation {automation.Id}",
                StateDetails = new StateDetails { ScheduledTime = silo.Clock.GetUtcNow() + run.ScheduleAfter },
            },
        };
        try
        {
            if (await new DeploymentCatalog(silo).CreateFlowRunAsync(deploymentId, request, cancellationToken).ConfigureAwait(false) is not var (flowRun, created))
            {
                return Failed(index, run, $"Deployment {deploymentId} not found.");
            }

            var detail = created ? $"Created flow run '{flowRun.Name}'." : $"Flow run '{flowRun.Name}' already existed for this firing.";
            if (run.JobVariables is not null)
            {
                detail += " The action's job_variables were not applied (runs take the deployment's job variables).";
            }

            return Completed(index, run, detail, $"prefect.flow-run.{flowRun.Id}");
        }
        catch (DeploymentParameterException ex)
        {
            return Failed(index, run, ex.Message);
        }
    }

    private async Task<AutomationActionResult> TargetAsync(Automation automation, AutomationFiring firing, TargetedAction action, int index,
        Func<bool, Task> onSelf, CancellationToken cancellationToken)
    {
        if (Target(action.Source, action.TargetId, firing, action.ResourceKind) is not { } id)
        {
            return Failed(index, action, $"No {action.ResourceKind[("prefect.".Length)..]} could be inferred from the triggering event.");
        }

        var resource = $"{action.ResourceKind}.{id}";
        var verb = action.Pauses ? "Paused" : "Resumed";
        switch (action.ResourceKind)
        {
            case "prefect.deployment":
                try
                {
                    return await new DeploymentCatalog(silo).SetScheduleActiveAsync(id, !action.Pauses, cancellationToken).ConfigureAwait(false)
                        ? Completed(index, action, $"{verb} deployment {id}.", resource)
                        : Failed(index, action, $"Deployment {id} not found.");
                }
                catch (DeploymentScheduleException ex)
                {
                    return Failed(index, action, ex.Message);
                }

            case "prefect.work-queue":
                return await new WorkPoolCatalog(silo).UpdateQueueByIdAsync(id, new WorkQueueUpdate { IsPaused = action.Pauses }, cancellationToken)
                    .ConfigureAwait(false) == WorkPoolChange.Updated
                    ? Completed(index, action, $"{verb} work queue {id}.", resource)
                    : Failed(index, action, $"Work queue {id} not found.");
            case "prefect.work-pool":
                var pool = await silo.Database.ReadAsync(session => WorkPoolStore.PoolByIdAsync(session, id, cancellationToken), cancellationToken)
                    .ConfigureAwait(false);
                return pool is not null
                    && await new WorkPoolCatalog(silo).UpdatePoolAsync(pool.Name, new WorkPoolUpdate { IsPaused = action.Pauses }, cancellationToken).ConfigureAwait(false)
                    ? Completed(index, action, $"{verb} work pool '{pool.Name}'.", resource)
                    : Failed(index, action, $"Work pool {id} not found.");
            default:
                if (id == automation.Id)
                {
                    await onSelf(!action.Pauses).ConfigureAwait(false);
                    return Completed(index, action, $"{verb} this automation.", resource);
                }

                return await new AutomationCatalog(silo).SetEnabledAsync(id, !action.Pauses, cancellationToken).ConfigureAwait(false)
                    ? Completed(index, action, $"{verb} automation {id}.", resource)
                    : Failed(index, action, $"Automation {id} not found.");
        }
    }

    private async Task<AutomationActionResult> SetFlowRunStateAsync(Automation automation, AutomationFiring firing, FlowRunStateAction action, int index,
        CancellationToken cancellationToken)
    {
        if (FlowRunOf(firing) is not { } runId)
        {
            return Failed(index, action, "No flow run could be inferred from the firing.");
        }

        var proposed = action.Type switch
        {
            "cancel-flow-run" => new ProposedState { Type = StateType.Cancelling, Message = $"Cancelled by Automation {automation.Id}" },
            "suspend-flow-run" => new ProposedState
            {
                Type = StateType.Paused,
                Name = "Suspended",
                Message = $"Suspended by Automation {automation.Id}",
                StateDetails = new StateDetails { PauseTimeout = silo.Clock.GetUtcNow().AddHours(1), PauseReschedule = true },
            },
            _ => new ProposedState { Type = action.State!.Value, Name = action.Name, Message = action.Message ?? $"State changed by Automation {automation.Id}" },
        };
        if (await silo.FlowRun(runId).GetAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            return Failed(index, action, $"Flow run {runId} not found.");
        }

        var result = await silo.FlowRun(runId).SetStateAsync(proposed, action.Force, cancellationToken).ConfigureAwait(false);
        return result.Result.Status == OrchestrationStatus.Accept
            ? Completed(index, action, $"Set flow run {runId} to {proposed.EffectiveName}.", $"prefect.flow-run.{runId}")
            : Failed(index, action, $"Failed to set state: {result.Result.Details.Reason ?? result.Result.Status.ToString()}");
    }

    /// <summary>The flow run of the firing: its <c>prefect.resource.id</c> bucket label, else the triggering event's first
    /// flow-run resource (primary, then related).</summary>
    private static Guid? FlowRunOf(AutomationFiring firing) =>
        firing.TriggeringLabels.TryGetValue(Resource.IdLabel, out var label) && IdOf(label, "prefect.flow-run") is { } fromLabel
            ? fromLabel
            : FirstOfKind(firing.TriggeringEvent, "prefect.flow-run");

    private static Guid? Target(ActionSource source, Guid? selected, AutomationFiring firing, string kind) =>
        source == ActionSource.Selected ? selected : FirstOfKind(firing.TriggeringEvent, kind);

    private static Guid? FirstOfKind(Event? @event, string kind) =>
        @event is null ? null : new[] { @event.Resource }.Concat(@event.Related).Select(r => IdOf(r.Id, kind)).FirstOrDefault(id => id is not null);

    private static Guid? IdOf(string resourceId, string kind) =>
        resourceId.StartsWith(kind + ".", StringComparison.Ordinal) && Guid.TryParse(resourceId[(kind.Length + 1)..], out var id) ? id : null;

    private static AutomationActionResult Completed(int index, AutomationAction action, string detail, string? resourceId) =>
        new() { Index = index, Type = action.Type, Status = AutomationActionResult.Completed, Detail = detail, ResourceId = resourceId };

    private static AutomationActionResult Failed(int index, AutomationAction action, string detail) =>
        new() { Index = index, Type = action.Type, Status = AutomationActionResult.Failed, Detail = detail };
}
