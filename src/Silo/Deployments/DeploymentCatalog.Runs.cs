using OrleansFlow.Grains.Deployments;
using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.Schedules;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Silo.Deployments;

public sealed partial class DeploymentCatalog
{
    private static readonly string[] AutoScheduledTags = ["auto-scheduled"];

    /// <summary>Creates a run of the deployment: its parameters overlaid with the request's and checked against the
    /// deployment's parameter schema; its pool, queue, tags and infrastructure document; SCHEDULED (due now) unless the
    /// request gives a state. A request whose idempotency key the flow already used returns that run.</summary>
    /// <returns>Null when the deployment does not exist; else the run and true when it was created now.</returns>
    /// <exception cref="DeploymentParameterException">The parameters do not fit the schema.</exception>
    public async Task<(FlowRun Run, bool Created)?> CreateFlowRunAsync(Guid id, DeploymentRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var placed = await silo.Database.WriteAsync<(Deployment, Guid, Guid)?>(async session =>
            await DeploymentStore.GetAsync(session, id, cancellationToken).ConfigureAwait(false) is { } deployment
                ? await PlaceAsync(session, deployment, cancellationToken).ConfigureAwait(false)
                : null,
            cancellationToken).ConfigureAwait(false);
        if (placed is not var (found, queueId, poolId))
        {
            return null;
        }

        return await CreateRunAsync(found, queueId, poolId, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the runs the deployment's schedule should have from <paramref name="from"/> on (Prefect's
    /// <c>POST /deployments/{id}/schedule</c>); runs that exist are kept.</summary>
    /// <returns>How many runs were created, or null when the deployment does not exist.</returns>
    public async Task<int?> ScheduleAsync(Guid id, DateTimeOffset from, CancellationToken cancellationToken) =>
        await GetAsync(id, cancellationToken).ConfigureAwait(false) is { } deployment
            ? await ScheduleRunsAsync(deployment, from, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>Resumes (<paramref name="active"/>) or pauses the deployment (Prefect 2.18's <c>resume_deployment</c> and
    /// <c>pause_deployment</c>, and the legacy <c>set_schedule_active</c>/<c>inactive</c>): sets <c>paused</c> and
    /// <c>is_schedule_active</c> and, when the deployment has exactly one schedule, that schedule's <c>active</c>.
    /// Pausing deletes its future auto-scheduled runs.</summary>
    /// <returns>False when the deployment does not exist.</returns>
    /// <exception cref="DeploymentScheduleException">The deployment has several schedules (as Prefect refuses).</exception>
    public Task<bool> SetScheduleActiveAsync(Guid id, bool active, CancellationToken cancellationToken) =>
        UpdateAsync(id, d => d.Schedules.Count > 1
            ? throw new DeploymentScheduleException(id)
            : d with
            {
                IsScheduleActive = active,
                Paused = !active,
                Schedules = [.. d.Schedules.Select(s => s with { Active = active })],
            }, cancellationToken);

    /// <summary>Creates the runs the deployment's schedule should have at <paramref name="now"/> (see
    /// <see cref="ScheduleRules.Upcoming"/>) that do not exist yet; each carries Prefect's idempotency key, so no time
    /// ever gets two runs.</summary>
    /// <returns>How many runs were created.</returns>
    internal async Task<int> ScheduleRunsAsync(Deployment deployment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var schedules = DeploymentScheduling.Active(deployment);
        if (schedules.Count == 0)
        {
            return 0;
        }

        // A deployment stored before the gateway checked these (or written around it) makes no runs rather than
        // failing the request or the reminder tick that got to it.
        if (deployment.EnforceParameterSchema
            && ParameterSchema.Check(ParameterSchema.Merge(deployment.Parameters, null), deployment.ParameterOpenapiSchema) is not null)
        {
            return 0;
        }

        // Every active schedule makes its upcoming runs; a time two schedules share gets one run (Prefect's idempotency
        // key names the deployment and the time only).
        var upcoming = new SortedSet<DateTimeOffset>();
        foreach (var raw in schedules)
        {
            try
            {
                upcoming.UnionWith(ScheduleRules.Upcoming(ScheduleRules.Parse(raw), now));
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
            {
                // A schedule stored around the gateway's checks makes no runs; the others still do.
            }
        }

        IReadOnlyList<DateTimeOffset> times = [.. upcoming];
        if (times.Count == 0)
        {
            return 0;
        }

        var existing = await silo.Database.ReadAsync(async session =>
        {
            await using var command = session.Named("deployments.scheduled_keys").Add("deployment_id", deployment.Id).Add("from", times[0]);
            return (await command.ListAsync(r => r.GetString(0), cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        }, cancellationToken).ConfigureAwait(false);
        var missing = times.Where(t => !existing.Contains(ScheduleRules.IdempotencyKey(deployment.Id, t))).ToList();
        if (missing.Count == 0)
        {
            return 0;
        }

        var placed = await silo.Database.WriteAsync(session => PlaceAsync(session, deployment, cancellationToken), cancellationToken).ConfigureAwait(false);
        var tasks = missing.Select(time => CreateRunAsync(placed.Deployment, placed.QueueId, placed.PoolId, new DeploymentRunRequest
        {
            Name = ScheduledRunNames.For(deployment.Id, time),
            IdempotencyKey = ScheduleRules.IdempotencyKey(deployment.Id, time),
            AutoScheduled = true,
            State = new ProposedState { Type = StateType.Scheduled, StateDetails = new StateDetails { ScheduledTime = time } },
        }, cancellationToken));
        var results = await Task.WhenAll(tasks).ConfigureAwait(false);
        return results.Count(r => r.Created);
    }

    private async Task<(FlowRun Run, bool Created)> CreateRunAsync(Deployment deployment, Guid queueId, Guid poolId, DeploymentRunRequest request,
        CancellationToken cancellationToken)
    {
        var parameters = ParameterSchema.Merge(deployment.Parameters, request.Parameters);
        if ((request.EnforceParameterSchema ?? deployment.EnforceParameterSchema)
            && ParameterSchema.Check(parameters, deployment.ParameterOpenapiSchema) is var (parameter, reason))
        {
            throw new DeploymentParameterException(parameter, reason);
        }

        var state = request.State ?? new ProposedState
        {
            Type = StateType.Scheduled,
            StateDetails = new StateDetails { ScheduledTime = silo.Clock.GetUtcNow() },
        };
        var run = new FlowRun
        {
            Id = Guid.Empty,
            Name = request.Name,
            FlowId = deployment.FlowId,
            DeploymentId = deployment.Id,
            Parameters = parameters,
            Context = request.Context ?? ParameterSchema.Merge(null, null),
            EmpiricalPolicy = request.EmpiricalPolicy ?? new FlowRunPolicy(),
            // Prefect tags the runs its scheduler creates "auto-scheduled", ahead of the deployment's tags.
            Tags = [.. (request.AutoScheduled ? AutoScheduledTags : []).Concat(deployment.Tags).Concat(request.Tags).Distinct(StringComparer.Ordinal)],
            IdempotencyKey = request.IdempotencyKey,
            ParentTaskRunId = request.ParentTaskRunId,
            InfrastructureDocumentId = request.InfrastructureDocumentId ?? deployment.InfrastructureDocumentId,
            WorkQueueId = queueId,
            WorkQueueName = deployment.WorkQueueName,
            WorkPoolId = poolId,
            WorkPoolName = deployment.WorkPoolName,
            AutoScheduled = request.AutoScheduled,
        };
        var created = await silo.FlowRun(silo.NewId()).CreateAsync(run, state, cancellationToken).ConfigureAwait(false);
        if (created.Created)
        {
            // Workers long-polling the pool wake at once, on whichever silo they wait.
            await silo.WorkPool(poolId).PulseAsync().ConfigureAwait(false);
        }

        return created;
    }

    /// <summary>Deletes the deployment's auto-scheduled runs that are still SCHEDULED and due later than now.</summary>
    internal async Task DeleteFutureRunsAsync(Guid deploymentId, CancellationToken cancellationToken)
    {
        var now = silo.Clock.GetUtcNow();
        var ids = await silo.Database.ReadAsync(session => DeploymentStore.FutureScheduledRunsAsync(session, deploymentId, now, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        foreach (var runId in ids)
        {
            await silo.FlowRun(runId).DeleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
