using System.Text.Json;
using OrleansFlow.Grains.Deployments;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.WorkPools;
using OrleansFlow.Silo.Deployments;
using OrleansFlow.Silo.Events;
using OrleansFlow.Silo.WorkPools;

namespace OrleansFlow.Silo.Tests.Conformance;

public abstract partial class StoreConformance
{
    private DeploymentCatalog Deployments => new(Silo);

    private WorkPoolCatalog Pools => new(Silo);

    /// <summary>The stored events whose name starts with <paramref name="prefix"/>, in order.</summary>
    private async Task<List<Event>> EventsNamedAsync(string prefix, long after = 0) =>
        [.. (await Events.ReadAfterAsync(after, 1000)).Select(s => s.Event).Where(e => e.Name.StartsWith(prefix, StringComparison.Ordinal))];

    private async Task<WorkPool> NewPoolAsync(string name = "k8s", string type = "kubernetes") =>
        (await Pools.CreatePoolAsync(new WorkPool { Id = Silo.NewId(), Name = name, Type = type }, default))!;

    private static void AssertAboutDeployment(Event e, Deployment deployment, Guid flowId, string flowName, WorkPool pool, string queueName)
    {
        Assert.Equal($"prefect.deployment.{deployment.Id:D}", e.Resource.Id);
        Assert.Equal(deployment.Name, e.Resource.Name);
        var flow = Assert.Single(e.RelatedInRole("flow"));
        Assert.Equal(($"prefect.flow.{flowId:D}", flowName), (flow.Id, flow.Name));
        var queue = Assert.Single(e.RelatedInRole("work-queue"));
        Assert.StartsWith("prefect.work-queue.", queue.Id, StringComparison.Ordinal);
        Assert.Equal(queueName, queue.Name);
        var related = Assert.Single(e.RelatedInRole("work-pool"));
        Assert.Equal(($"prefect.work-pool.{pool.Id:D}", pool.Name, pool.Type), (related.Id, related.Name, related["prefect.work-pool.type"]));
    }

    [Fact]
    public async Task Deployment_CreateUpdatePauseResumeDelete_EmitsPrefectDeploymentEventsInTheSameTransaction()
    {
        var flow = await NewFlowAsync("etl");
        var pool = await NewPoolAsync();
        var (deployment, created) = await Deployments.UpsertAsync(new Deployment
        {
            Id = Guid.Empty, Name = "nightly", FlowId = flow.Id, WorkPoolName = pool.Name, WorkQueueName = "gpu", Description = "first",
        }, default);
        Assert.True(created);

        // The same deployment sent again (a re-deploy without changes) changes nothing Prefect tracks: no event.
        await Deployments.UpsertAsync(new Deployment
        {
            Id = Guid.Empty, Name = "nightly", FlowId = flow.Id, WorkPoolName = pool.Name, WorkQueueName = "gpu", Description = "first",
        }, default);
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await Deployments.UpdateAsync(deployment.Id, d => d with { Description = "second", Tags = ["prod"] }, default));
        Assert.True(await Deployments.SetScheduleActiveAsync(deployment.Id, active: false, default));
        Assert.True(await Deployments.SetScheduleActiveAsync(deployment.Id, active: true, default));
        Assert.True(await Deployments.DeleteAsync(deployment.Id, default));

        var events = await EventsNamedAsync("prefect.deployment.");
        Assert.Equal(["prefect.deployment.created", "prefect.deployment.updated", "prefect.deployment.updated", "prefect.deployment.updated",
            "prefect.deployment.deleted"], events.Select(e => e.Name));
        Assert.All(events, e => AssertAboutDeployment(e, deployment, flow.Id, "etl", pool, "gpu"));
        Assert.Equal(Start, events[0].Occurred);
        Assert.Null(events[0].Payload);

        var described = events[1].Payload!.Value;
        Assert.Equal(["description", "tags"], described.GetProperty("updated_fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("first", described.GetProperty("updates").GetProperty("description").GetProperty("from").GetString());
        Assert.Equal("second", described.GetProperty("updates").GetProperty("description").GetProperty("to").GetString());
        Assert.Equal(["prod"], described.GetProperty("updates").GetProperty("tags").GetProperty("to").EnumerateArray().Select(t => t.GetString()));

        // Pausing and resuming are changes of `paused`.
        var paused = events[2].Payload!.Value.GetProperty("updates").GetProperty("paused");
        Assert.Equal((false, true), (paused.GetProperty("from").GetBoolean(), paused.GetProperty("to").GetBoolean()));
        Assert.Equal(["paused"], events[2].Payload!.Value.GetProperty("updated_fields").EnumerateArray().Select(f => f.GetString()));
        Assert.True(events[3].Payload!.Value.GetProperty("updates").GetProperty("paused").GetProperty("to").GetBoolean() is false);
        Assert.Equal(Start.AddSeconds(1), events[^1].Occurred);
    }

    [Fact]
    public async Task Deployment_RejectedChanges_EmitNoEvent()
    {
        var flow = await NewFlowAsync();
        var (deployment, _) = await Deployments.UpsertAsync(new Deployment { Id = Guid.Empty, Name = "nightly", FlowId = flow.Id }, default);
        var before = await Events.LastSeqAsync();

        // A pool that does not exist fails the change inside its transaction; pausing a deployment of several schedules
        // through the legacy route is refused; a deployment of a flow that does not exist is never created.
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Deployments.UpdateAsync(deployment.Id, d => d with { WorkPoolName = "missing", Description = "x" }, default));
        await Deployments.UpdateAsync(deployment.Id, d => d with
        {
            Schedules =
            [
                new DeploymentScheduleEntry { Id = Guid.NewGuid(), Schedule = Json("""{"interval": 3600}""") },
                new DeploymentScheduleEntry { Id = Guid.NewGuid(), Schedule = Json("""{"interval": 7200}""") },
            ],
        }, default);
        var afterSchedules = await Events.LastSeqAsync();
        await Assert.ThrowsAsync<DeploymentScheduleException>(() => Deployments.SetScheduleActiveAsync(deployment.Id, active: false, default));
        await Assert.ThrowsAnyAsync<Exception>(() => Deployments.UpsertAsync(new Deployment { Id = Guid.Empty, Name = "orphan", FlowId = Guid.NewGuid() }, default));
        Assert.False(await Deployments.DeleteAsync(Guid.NewGuid(), default));

        var added = await EventsNamedAsync("prefect.deployment.", before);
        // Only the schedules' change made an event.
        var single = Assert.Single(added);
        Assert.Equal("prefect.deployment.updated", single.Name);
        Assert.Equal(["schedules"], single.Payload!.Value.GetProperty("updated_fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Empty(await EventsNamedAsync("prefect.deployment.", afterSchedules));
        Assert.Equal("nightly", (await Deployments.GetAsync(deployment.Id, default))!.Name);
    }

    [Fact]
    public async Task DeploymentEvents_OfAChangeThatRollsBack_AreNotStored()
    {
        var flow = await NewFlowAsync();
        var pool = await NewPoolAsync();
        var (deployment, _) = await Deployments.UpsertAsync(new Deployment { Id = Guid.Empty, Name = "nightly", FlowId = flow.Id, WorkPoolName = pool.Name }, default);
        var before = await Events.LastSeqAsync();

        // A ready event, the deployment's delete and its event, then a failure later in the same transaction: none is kept.
        await Assert.ThrowsAsync<InvalidOperationException>(() => Silo.Database.WriteAsync<bool>(async session =>
        {
            var queue = await WorkPoolStore.QueueByIdAsync(session, pool.DefaultQueueId!.Value, default);
            await new DeploymentCatalog(Silo).EmitReadyAsync(session, pool, queue!, Clock.GetUtcNow(), default);
            var deleted = await new DeploymentCatalog(Silo).DeletedEventAsync(session, deployment, default);
            await DeploymentStore.DeleteAsync(session, deployment.Id, default);
            session.Emit(deleted);
            Assert.Equal(2, session.EmittedCount);
            throw new InvalidOperationException("the change failed");
        }, default));

        Assert.Empty(await Events.ReadAfterAsync(before, 100));
        Assert.NotNull(await Deployments.GetAsync(deployment.Id, default));
    }

    [Fact]
    public async Task FlowDelete_EmitsDeletedForEachOfItsDeployments()
    {
        var flow = await NewFlowAsync("etl");
        var (first, _) = await Deployments.UpsertAsync(new Deployment { Id = Guid.Empty, Name = "a", FlowId = flow.Id }, default);
        var (second, _) = await Deployments.UpsertAsync(new Deployment { Id = Guid.Empty, Name = "b", FlowId = flow.Id }, default);

        Assert.True(await Flows.DeleteAsync(flow.Id, default));

        var deleted = (await EventsNamedAsync("prefect.deployment.deleted")).ToList();
        Assert.Equal(new[] { first.Id, second.Id }.Select(id => $"prefect.deployment.{id:D}").Order(StringComparer.Ordinal),
            deleted.Select(e => e.Resource.Id).Order(StringComparer.Ordinal));
        Assert.All(deleted, e => Assert.Equal("etl", Assert.Single(e.RelatedInRole("flow")).Name));
    }

    [Fact]
    public async Task DeploymentStatus_ReadyOnTheFirstPoll_NotReadyAQuietMinuteLater_OnceWhateverTheSweeps()
    {
        var flow = await NewFlowAsync("etl");
        var pool = await NewPoolAsync();
        var (deployment, _) = await Deployments.UpsertAsync(new Deployment { Id = Guid.Empty, Name = "nightly", FlowId = flow.Id, WorkPoolName = pool.Name }, default);
        Assert.Empty(await EventsNamedAsync("prefect.deployment.ready"));

        Clock.Advance(TimeSpan.FromSeconds(1));
        var polled = Clock.GetUtcNow();
        Assert.NotNull(await Pools.GetScheduledFlowRunsAsync(pool.Name, null, null, null, "w1", default));
        Clock.Advance(TimeSpan.FromSeconds(10));
        await Pools.GetScheduledFlowRunsAsync(pool.Name, null, null, null, "w1", default);
        var ready = Assert.Single(await EventsNamedAsync("prefect.deployment.ready"));
        Assert.Equal(polled, ready.Occurred);
        AssertAboutDeployment(ready, deployment, flow.Id, "etl", pool, WorkPoolCatalog.DefaultQueueName);

        // Still polled 50 s after the last poll: ready. 61 s after it: not ready, as of 60 s after the poll.
        Clock.Advance(TimeSpan.FromSeconds(50));
        await Silo.Housekeeper.SweepAsync();
        Assert.Empty(await EventsNamedAsync("prefect.deployment.not-ready"));
        Clock.Advance(TimeSpan.FromSeconds(11));
        await Silo.Housekeeper.SweepAsync();
        await Silo.Housekeeper.SweepAsync();
        await new DeploymentCatalog(await StartNodeAsync()).EmitNotReadyAsync(new HashSet<Guid>(), Clock.GetUtcNow(), default);
        var notReady = Assert.Single(await EventsNamedAsync("prefect.deployment.not-ready"));
        Assert.Equal(polled.AddSeconds(70), notReady.Occurred);
        AssertAboutDeployment(notReady, deployment, flow.Id, "etl", pool, WorkPoolCatalog.DefaultQueueName);

        // The next poll makes it ready again.
        await Pools.GetScheduledFlowRunsAsync(pool.Name, null, null, null, "w1", default);
        Assert.Equal(["prefect.deployment.ready", "prefect.deployment.not-ready", "prefect.deployment.ready"],
            (await EventsNamedAsync("prefect.deployment.")).Where(e => e.Name != "prefect.deployment.created").Select(e => e.Name));
    }

    [Fact]
    public async Task DeploymentStatus_ADeploymentCreatedOnOrMovedToAPolledQueue_IsReady()
    {
        var flow = await NewFlowAsync();
        var pool = await NewPoolAsync();
        await Pools.GetScheduledFlowRunsAsync(pool.Name, null, null, null, "w1", default);
        var (onPolled, _) = await Deployments.UpsertAsync(new Deployment { Id = Guid.Empty, Name = "polled", FlowId = flow.Id, WorkPoolName = pool.Name }, default);
        var (elsewhere, _) = await Deployments.UpsertAsync(new Deployment { Id = Guid.Empty, Name = "elsewhere", FlowId = flow.Id }, default);
        Assert.Equal([$"prefect.deployment.{onPolled.Id:D}"], (await EventsNamedAsync("prefect.deployment.ready")).Select(e => e.Resource.Id));

        var before = await Events.LastSeqAsync();
        Assert.True(await Deployments.UpdateAsync(elsewhere.Id, d => d with { WorkPoolName = pool.Name, WorkQueueName = WorkPoolCatalog.DefaultQueueName }, default));
        Assert.True(await Deployments.UpdateAsync(onPolled.Id, d => d with { WorkPoolName = WorkPoolCatalog.DefaultAgentPoolName, WorkQueueName = null }, default));

        var moved = await EventsNamedAsync("prefect.deployment.", before);
        Assert.Equal(["prefect.deployment.updated", "prefect.deployment.ready", "prefect.deployment.updated", "prefect.deployment.not-ready"],
            moved.Select(e => e.Name));
        Assert.Equal(["work_pool_name"], moved[0].Payload!.Value.GetProperty("updated_fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal($"prefect.deployment.{elsewhere.Id:D}", moved[1].Resource.Id);
        Assert.Equal($"prefect.deployment.{onPolled.Id:D}", moved[3].Resource.Id);
    }

    [Fact]
    public async Task WorkerHeartbeat_EmitsPrefectWorkerHeartbeat_RelatedToItsPool()
    {
        var pool = await NewPoolAsync("k8s", "kubernetes");

        Assert.True(await Pools.HeartbeatAsync(pool.Name, "KubernetesWorker 7f3a", default, heartbeatIntervalSeconds: 30));
        Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await Pools.HeartbeatAsync(pool.Name, "KubernetesWorker 7f3a", default));
        Assert.False(await Pools.HeartbeatAsync("missing", "KubernetesWorker 7f3a", default));

        var beats = await EventsNamedAsync("prefect.worker.");
        Assert.Equal([WorkerEvents.HeartbeatName, WorkerEvents.HeartbeatName], beats.Select(e => e.Name));
        Assert.Equal([Start, Start.AddSeconds(30)], beats.Select(e => e.Occurred));
        var first = beats[0];
        Assert.Equal("prefect.worker.kubernetes.kubernetesworker-7f3a", first.Resource.Id);
        Assert.Equal(("KubernetesWorker 7f3a", "kubernetes"), (first.Resource.Name, first.Resource["prefect.worker-type"]));
        var related = Assert.Single(first.RelatedInRole("work-pool"));
        Assert.Equal(($"prefect.work-pool.{pool.Id:D}", "k8s", "kubernetes"), (related.Id, related.Name, related["prefect.work-pool.type"]));
        Assert.Equal(30, first.Payload!.Value.GetProperty("heartbeat_interval_seconds").GetInt32());
        Assert.Null(beats[1].Payload);
        // The first heartbeat also made the pool ready, in the same transaction.
        Assert.Equal(["prefect.work-pool.ready"], (await EventsNamedAsync("prefect.work-pool.")).Select(e => e.Name));
    }

    [Fact]
    public void DeploymentEvents_Changes_IgnoreScheduleIdsAndTimes()
    {
        var id = Guid.NewGuid();
        var before = new Deployment
        {
            Id = id, Name = "d", FlowId = Guid.NewGuid(),
            Schedules = [new DeploymentScheduleEntry { Id = Guid.NewGuid(), Created = Start, Schedule = Json("""{"interval": 60}""") }],
        };
        var after = before with
        {
            Updated = Start.AddDays(1),
            Schedules = [new DeploymentScheduleEntry { Id = Guid.NewGuid(), Created = Start.AddDays(1), Schedule = Json("""{"interval": 60}""") }],
        };

        Assert.Empty(DeploymentEvents.Changes(before, after));
        Assert.Null(DeploymentEvents.Updated(Guid.NewGuid(), before, after, [], Start));
        Assert.Equal(["schedules"], DeploymentEvents.Changes(before, after with
        {
            Schedules = [after.Schedules[0] with { Schedule = Json("""{"interval": 120}""") }],
        }).Select(p => p.Key));
        var versioned = DeploymentEvents.Updated(Guid.NewGuid(), before, after with { Version = "2" }, [], Start)!.Payload!.Value;
        Assert.Equal(JsonValueKind.Null, versioned.GetProperty("updates").GetProperty("version").GetProperty("from").ValueKind);
        Assert.Equal("2", versioned.GetProperty("updates").GetProperty("version").GetProperty("to").GetString());
    }
}
