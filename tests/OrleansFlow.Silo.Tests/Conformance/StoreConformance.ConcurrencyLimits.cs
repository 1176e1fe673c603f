using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Silo.Tests.Conformance;

public abstract partial class StoreConformance
{
    [Fact]
    public async Task ConcurrencyLimitCatalog_Upsert_CreatesThenChangesLimitKeepingIdAndSlots()
    {
        var holder = Guid.NewGuid();
        var created = await Limits.UpsertAsync("db", 2, default);
        Assert.True(await Limits.ResetAsync("db", [holder], default));
        Clock.Advance(TimeSpan.FromMinutes(1));

        var changed = await Limits.UpsertAsync("db", 5, default);

        Assert.Equal((2, "db"), (created.Limit, created.Tag));
        Assert.Empty(created.ActiveSlots);
        Assert.Equal(created.Id, changed.Id);
        Assert.Equal(5, changed.Limit);
        Assert.Equal([holder], changed.ActiveSlots);
        Assert.Equal(Start, changed.Created);
        Assert.Equal(Start.AddMinutes(1), changed.Updated);
        var byId = await Limits.GetAsync(created.Id, default);
        var byTag = await Limits.GetByTagAsync("db", default);
        Assert.Equal((created.Id, 5), (byId!.Id, byId.Limit));
        Assert.Equal([holder], byTag!.ActiveSlots);
        Assert.Null(await Limits.GetAsync(Guid.NewGuid(), default));
        Assert.Null(await Limits.GetByTagAsync("missing", default));
    }

    [Fact]
    public async Task ConcurrencyLimitCatalog_List_PagesInTagOrder()
    {
        foreach (var tag in new[] { "db", "api", "gpu" })
        {
            await Limits.UpsertAsync(tag, 1, default);
        }

        Assert.Equal(["api", "db", "gpu"], (await Limits.ListAsync(10, 0, default)).Select(l => l.Tag));
        Assert.Equal(["db"], (await Limits.ListAsync(1, 1, default)).Select(l => l.Tag));
        Assert.Empty(await Limits.ListAsync(10, 3, default));
    }

    [Fact]
    public async Task ConcurrencyLimitCatalog_DeleteByIdAndByTag_RemoveTheLimit()
    {
        var db = await Limits.UpsertAsync("db", 1, default);
        await Limits.UpsertAsync("api", 1, default);

        Assert.True(await Limits.DeleteAsync(db.Id, default));
        Assert.False(await Limits.DeleteAsync(db.Id, default));
        Assert.True(await Limits.DeleteByTagAsync("api", default));
        Assert.False(await Limits.DeleteByTagAsync("api", default));
        Assert.Empty(await Limits.ListAsync(10, 0, default));
        Assert.False(await Limits.ResetAsync("api", [], default));
    }

    [Fact]
    public async Task TaskRunGrain_RunningWithLimitFull_WaitsUntilTheHolderCompletes()
    {
        await Limits.UpsertAsync("db", 1, default);
        var flowRun = await RunningFlowRunAsync();
        var first = await NewTaskRunAsync(flowRun.Id, dynamicKey: "0", tags: ["db"]);
        var second = await NewTaskRunAsync(flowRun.Id, dynamicKey: "1", tags: ["db"]);

        var firstRunning = await Silo.TaskRun(first.Id).SetStateAsync(Proposed(StateType.Running), false);
        var slotsWhileFirstRuns = (await Limits.GetByTagAsync("db", default))!.ActiveSlots;
        var secondWaits = await Silo.TaskRun(second.Id).SetStateAsync(Proposed(StateType.Running), false);
        var slotsAfterWait = (await Limits.GetByTagAsync("db", default))!.ActiveSlots;
        await Silo.TaskRun(first.Id).SetStateAsync(Proposed(StateType.Completed), false);
        var slotsAfterCompletion = (await Limits.GetByTagAsync("db", default))!.ActiveSlots;
        var secondRuns = await Silo.TaskRun(second.Id).SetStateAsync(Proposed(StateType.Running), false);

        Assert.Equal(OrchestrationStatus.Accept, firstRunning.Result.Status);
        Assert.Equal([first.Id], slotsWhileFirstRuns);
        Assert.Equal(OrchestrationStatus.Wait, secondWaits.Result.Status);
        Assert.Equal(30, secondWaits.Result.Details.DelaySeconds);
        Assert.Contains("db", secondWaits.Result.Details.Reason, StringComparison.Ordinal);
        Assert.False(secondWaits.Written);
        Assert.Equal([first.Id], slotsAfterWait);
        Assert.Empty(slotsAfterCompletion);
        Assert.Equal(OrchestrationStatus.Accept, secondRuns.Result.Status);
        Assert.Equal([second.Id], (await Limits.GetByTagAsync("db", default))!.ActiveSlots);
    }

    [Fact]
    public async Task TaskRunGrain_FailedRun_ReleasesItsSlots()
    {
        await Limits.UpsertAsync("db", 2, default);
        await Limits.UpsertAsync("gpu", 2, default);
        var flowRun = await RunningFlowRunAsync();
        var run = await NewTaskRunAsync(flowRun.Id, tags: ["db", "gpu", "unlimited"]);

        await Silo.TaskRun(run.Id).SetStateAsync(Proposed(StateType.Running), false);
        var held = (await Limits.ListAsync(10, 0, default)).Select(l => l.ActiveSlots.ToList()).ToList();
        await Silo.TaskRun(run.Id).SetStateAsync(Proposed(StateType.Failed), false);

        Assert.All(held, slots => Assert.Equal([run.Id], slots));
        Assert.All(await Limits.ListAsync(10, 0, default), limit => Assert.Empty(limit.ActiveSlots));
    }

    [Fact]
    public async Task TaskRunGrain_Delete_ReleasesTheSlotItHolds()
    {
        await Limits.UpsertAsync("db", 1, default);
        var flowRun = await RunningFlowRunAsync();
        var run = await NewTaskRunAsync(flowRun.Id, tags: ["db"]);
        await Silo.TaskRun(run.Id).SetStateAsync(Proposed(StateType.Running), false);

        await Silo.TaskRun(run.Id).DeleteAsync();

        Assert.Empty((await Limits.GetByTagAsync("db", default))!.ActiveSlots);
    }

    [Fact]
    public async Task FlowRunGrain_Delete_ReleasesSlotsHeldByItsTaskRuns()
    {
        await Limits.UpsertAsync("db", 1, default);
        var flowRun = await RunningFlowRunAsync();
        var run = await NewTaskRunAsync(flowRun.Id, tags: ["db"]);
        await Silo.TaskRun(run.Id).SetStateAsync(Proposed(StateType.Running), false);

        await Silo.FlowRun(flowRun.Id).DeleteAsync();

        Assert.Empty((await Limits.GetByTagAsync("db", default))!.ActiveSlots);
    }

    [Fact]
    public async Task FlowCatalog_Delete_ReleasesSlotsHeldByTaskRunsOfItsRuns()
    {
        await Limits.UpsertAsync("db", 1, default);
        var flow = await NewFlowAsync();
        var flowRun = await RunningFlowRunAsync(flow.Id);
        var run = await NewTaskRunAsync(flowRun.Id, tags: ["db"]);
        await Silo.TaskRun(run.Id).SetStateAsync(Proposed(StateType.Running), false);

        await Flows.DeleteAsync(flow.Id, default);

        Assert.Empty((await Limits.GetByTagAsync("db", default))!.ActiveSlots);
    }

    [Fact]
    public async Task TaskRunGrain_LimitOfZero_AbortsRunning()
    {
        await Limits.UpsertAsync("db", 0, default);
        var flowRun = await RunningFlowRunAsync();
        var run = await NewTaskRunAsync(flowRun.Id, tags: ["db"]);

        var result = await Silo.TaskRun(run.Id).SetStateAsync(Proposed(StateType.Running), false);

        Assert.Equal(OrchestrationStatus.Abort, result.Result.Status);
        Assert.Empty((await Limits.GetByTagAsync("db", default))!.ActiveSlots);
    }
}
