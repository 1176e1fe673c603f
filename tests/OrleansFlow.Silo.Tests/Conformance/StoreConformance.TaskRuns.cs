using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;
using OrleansFlow.Grains.TaskRuns;

namespace OrleansFlow.Silo.Tests.Conformance;

public abstract partial class StoreConformance
{
    [Fact]
    public async Task TaskRunGrain_Create_StoresRunWithItsInitialState()
    {
        var flowRun = await RunningFlowRunAsync();
        var id = Silo.NewId();
        var run = new TaskRun
        {
            Id = Guid.Empty,
            Name = "extract-0",
            FlowRunId = flowRun.Id,
            TaskKey = "tasks.extract",
            DynamicKey = "0",
            Tags = ["db"],
            TaskVersion = "3",
            CacheKey = "k-1",
            EmpiricalPolicy = new TaskRunPolicy { Retries = 3, RetryDelay = Json("[1,2,4]") },
            TaskInputs = Json("""{"x":[]}"""),
        };

        var (stored, created) = await Silo.TaskRun(id).CreateAsync(run, Proposed(StateType.Pending));
        var loaded = await Silo.TaskRun(id).GetAsync();

        Assert.True(created);
        Assert.Equal(id, stored.Id);
        Assert.NotNull(loaded);
        Assert.Equal((id, "extract-0", flowRun.Id, "tasks.extract", "0"), (loaded.Id, loaded.Name, loaded.FlowRunId, loaded.TaskKey, loaded.DynamicKey));
        Assert.Equal(["db"], loaded.Tags);
        Assert.Equal("3", loaded.TaskVersion);
        Assert.Equal("k-1", loaded.CacheKey);
        Assert.Equal(3, loaded.EmpiricalPolicy.Retries);
        Assert.Equal([1.0, 2.0, 4.0], loaded.EmpiricalPolicy.RetryDelays());
        Assert.Equal("""{"x":[]}""", loaded.TaskInputs!.Value.GetRawText());
        Assert.Equal(StateType.Pending, loaded.StateType);
        Assert.Equal((flowRun.Id, (Guid?)id), (loaded.State!.StateDetails.FlowRunId!.Value, loaded.State.StateDetails.TaskRunId));
        Assert.Equal(loaded.State.Id, Assert.Single(await Queries.TaskRunStatesAsync(id, default)).Id);
        Assert.Equal(loaded.State, await Queries.TaskRunStateAsync(loaded.State.Id, default));
    }

    [Fact]
    public async Task TaskRunGrain_CreateWithSameTaskKeyAndDynamicKey_ReturnsFirstRunNotCreated()
    {
        var flowRun = await RunningFlowRunAsync();
        var otherFlowRun = await RunningFlowRunAsync();
        var first = await NewTaskRunAsync(flowRun.Id, "tasks.extract", "0", name: "first");
        var duplicateId = Silo.NewId();

        var (duplicate, created) = await Silo.TaskRun(duplicateId).CreateAsync(
            new TaskRun { Id = Guid.Empty, Name = "second", FlowRunId = flowRun.Id, TaskKey = "tasks.extract", DynamicKey = "0" },
            Proposed(StateType.Pending));
        var nextCall = await NewTaskRunAsync(flowRun.Id, "tasks.extract", "1");
        var otherTask = await NewTaskRunAsync(flowRun.Id, "tasks.load", "0");
        var otherRun = await NewTaskRunAsync(otherFlowRun.Id, "tasks.extract", "0");

        Assert.False(created);
        Assert.Equal(first.Id, duplicate.Id);
        Assert.Equal("first", duplicate.Name);
        Assert.Null(await Silo.TaskRun(duplicateId).GetAsync());
        Assert.Single(await Queries.TaskRunStatesAsync(first.Id, default));
        Assert.Equal(4, new[] { first.Id, nextCall.Id, otherTask.Id, otherRun.Id }.Distinct().Count());
        Assert.Equal(3, await Queries.CountTaskRunsAsync(Json($$$"""{"task_runs": {"flow_run_id": {"any_": ["{{{flowRun.Id}}}"]} } }"""), default));
    }

    [Fact]
    public async Task CountTaskRuns_WithCap_StopsOnePastIt()
    {
        var flowRun = await RunningFlowRunAsync();
        for (var i = 0; i < 4; i++)
        {
            await NewTaskRunAsync(flowRun.Id, "tasks.count", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var filter = Json($$$"""{"task_runs": {"flow_run_id": {"any_": ["{{{flowRun.Id}}}"]} } }""");
        Assert.Equal(3, await Queries.CountTaskRunsAsync(filter, cap: 2, default));
        Assert.Equal(4, await Queries.CountTaskRunsAsync(filter, cap: 4, default));
        Assert.Equal(4, await Queries.CountTaskRunsAsync(filter, cap: 100, default));
    }

    [Fact]
    public async Task TaskRunGrain_SetState_RecordsStateHistoryInOrder()
    {
        var flowRun = await RunningFlowRunAsync();
        var run = await NewTaskRunAsync(flowRun.Id);
        var written = new List<State> { run.State! };
        var started = Clock.Advance(TimeSpan.FromSeconds(1));

        foreach (var (type, after) in new[] { (StateType.Running, 0), (StateType.Completed, 4) })
        {
            Clock.Advance(TimeSpan.FromSeconds(after));
            var result = await Silo.TaskRun(run.Id).SetStateAsync(Proposed(type), force: false);
            Assert.Equal(OrchestrationStatus.Accept, result.Result.Status);
            written.Add(result.Result.State!);
        }

        var history = await Queries.TaskRunStatesAsync(run.Id, default);
        var loaded = await Silo.TaskRun(run.Id).GetAsync();
        Assert.Equal([StateType.Pending, StateType.Running, StateType.Completed], history.Select(s => s.Type));
        Assert.Equal(written.Select(s => s.Id), history.Select(s => s.Id));
        Assert.Equal(StateType.Completed, loaded!.StateType);
        Assert.Equal(1, loaded.RunCount);
        Assert.Equal(flowRun.RunCount, loaded.FlowRunRunCount);
        Assert.Equal(started, loaded.StartTime);
        Assert.Equal(started.AddSeconds(4), loaded.EndTime);
        Assert.Equal(4, loaded.TotalRunTime, precision: 6);
    }

    [Fact]
    public async Task TaskRunGrain_RunningInFlowRunThatIsNotRunning_AbortsAndWritesNothing()
    {
        var flowRun = await NewFlowRunAsync((await NewFlowAsync()).Id, Scheduled(Start));
        var run = await NewTaskRunAsync(flowRun.Id);

        var result = await Silo.TaskRun(run.Id).SetStateAsync(Proposed(StateType.Running), force: false);

        Assert.Equal(OrchestrationStatus.Abort, result.Result.Status);
        Assert.False(result.Written);
        Assert.Single(await Queries.TaskRunStatesAsync(run.Id, default));
        Assert.Equal(StateType.Pending, (await Silo.TaskRun(run.Id).GetAsync())!.StateType);
    }

    [Fact]
    public async Task TaskRunGrain_SetStateOnUnknownRun_ThrowsKeyNotFound()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Silo.TaskRun(Guid.NewGuid()).SetStateAsync(Proposed(StateType.Running), force: false));
    }

    [Fact]
    public async Task TaskRunGrain_Update_RenamesRunAndKeepsState()
    {
        var flowRun = await RunningFlowRunAsync();
        var run = await NewTaskRunAsync(flowRun.Id);
        Clock.Advance(TimeSpan.FromSeconds(9));

        Assert.True(await Silo.TaskRun(run.Id).RenameAsync("renamed"));

        var loaded = await Silo.TaskRun(run.Id).GetAsync();
        Assert.Equal("renamed", loaded!.Name);
        Assert.Equal(run.State, loaded.State);
        Assert.Equal(Clock.GetUtcNow(), loaded.Updated);
        Assert.Equal(1, await Queries.CountTaskRunsAsync(Json("""{"task_runs": {"name": {"any_": ["renamed"]}}}"""), default));
        Assert.False(await Silo.TaskRun(Guid.NewGuid()).RenameAsync("x"));
    }

    [Fact]
    public async Task TaskRunGrain_Delete_RemovesRunAndItsStatesOnly()
    {
        var flowRun = await RunningFlowRunAsync();
        var run = await NewTaskRunAsync(flowRun.Id, dynamicKey: "0");
        var sibling = await NewTaskRunAsync(flowRun.Id, dynamicKey: "1");

        Assert.True(await Silo.TaskRun(run.Id).DeleteAsync());

        Assert.Null(await Silo.TaskRun(run.Id).GetAsync());
        Assert.Empty(await Queries.TaskRunStatesAsync(run.Id, default));
        Assert.False(await Silo.TaskRun(run.Id).DeleteAsync());
        Assert.NotNull(await Silo.TaskRun(sibling.Id).GetAsync());
        Assert.Single(await Queries.TaskRunStatesAsync(sibling.Id, default));
        Assert.NotNull(await Silo.FlowRun(flowRun.Id).GetAsync());
    }

    [Fact]
    public async Task TaskRunGrain_CompletedWithCacheKey_IsReturnedToTheNextRunAsCached()
    {
        var flowRun = await RunningFlowRunAsync();
        var data = Json("""{"type":"reference","storage_key":"results/abc"}""");
        var first = await NewTaskRunAsync(flowRun.Id, dynamicKey: "0");
        await Silo.TaskRun(first.Id).SetStateAsync(new ProposedState { Type = StateType.Running, StateDetails = new StateDetails { CacheKey = "k" } }, false);
        var completed = await Silo.TaskRun(first.Id).SetStateAsync(new ProposedState
        {
            Type = StateType.Completed,
            Message = "done",
            Data = data,
            StateDetails = new StateDetails { CacheKey = "k", CacheExpiration = Start.AddHours(1) },
        }, false);
        var second = await NewTaskRunAsync(flowRun.Id, dynamicKey: "1");
        Clock.Advance(TimeSpan.FromSeconds(1));

        var result = await Silo.TaskRun(second.Id).SetStateAsync(new ProposedState { Type = StateType.Running, StateDetails = new StateDetails { CacheKey = "k" } }, false);

        Assert.Equal(OrchestrationStatus.Accept, completed.Result.Status);
        Assert.Equal(OrchestrationStatus.Reject, result.Result.Status);
        Assert.True(result.Written);
        Assert.Equal(StateType.Completed, result.Result.State!.Type);
        Assert.Equal("Cached", result.Result.State.Name);
        Assert.Equal(data.GetRawText(), result.Result.State.Data!.Value.GetRawText());
        Assert.Equal("done", result.Result.State.Message);
        var loaded = await Silo.TaskRun(second.Id).GetAsync();
        Assert.Equal("Cached", loaded!.StateName);
        Assert.Equal(0, loaded.RunCount);
        Assert.Equal("Cached", (await Queries.TaskRunStatesAsync(second.Id, default))[^1].Name);
    }

    [Fact]
    public async Task TaskRunGrain_CacheEntryPastItsExpiration_IsNotUsed()
    {
        var flowRun = await RunningFlowRunAsync();
        await CompleteWithCacheKeyAsync(flowRun.Id, "0", "k", expiration: Clock.GetUtcNow().AddMinutes(10));
        var second = await NewTaskRunAsync(flowRun.Id, dynamicKey: "1");
        Clock.Advance(TimeSpan.FromMinutes(10));

        var result = await Silo.TaskRun(second.Id).SetStateAsync(new ProposedState { Type = StateType.Running, StateDetails = new StateDetails { CacheKey = "k" } }, false);

        Assert.Equal(OrchestrationStatus.Accept, result.Result.Status);
        Assert.Equal(StateType.Running, (await Silo.TaskRun(second.Id).GetAsync())!.StateType);
    }

    [Fact]
    public async Task TaskRunGrain_RefreshCache_IgnoresCachedState()
    {
        var flowRun = await RunningFlowRunAsync();
        await CompleteWithCacheKeyAsync(flowRun.Id, "0", "k", expiration: null);
        var second = await NewTaskRunAsync(flowRun.Id, dynamicKey: "1");
        var third = await NewTaskRunAsync(flowRun.Id, dynamicKey: "2");

        var refreshed = await Silo.TaskRun(second.Id).SetStateAsync(
            new ProposedState { Type = StateType.Running, StateDetails = new StateDetails { CacheKey = "k", RefreshCache = true } }, false);
        var cached = await Silo.TaskRun(third.Id).SetStateAsync(
            new ProposedState { Type = StateType.Running, StateDetails = new StateDetails { CacheKey = "k" } }, false);
        var otherKey = await Silo.TaskRun((await NewTaskRunAsync(flowRun.Id, dynamicKey: "3")).Id).SetStateAsync(
            new ProposedState { Type = StateType.Running, StateDetails = new StateDetails { CacheKey = "other" } }, false);

        Assert.Equal(OrchestrationStatus.Accept, refreshed.Result.Status);
        Assert.Equal("Cached", cached.Result.State!.Name);
        Assert.Equal(OrchestrationStatus.Accept, otherKey.Result.Status);
    }

    private async Task CompleteWithCacheKeyAsync(Guid flowRunId, string dynamicKey, string cacheKey, DateTimeOffset? expiration)
    {
        var run = await NewTaskRunAsync(flowRunId, dynamicKey: dynamicKey);
        await Silo.TaskRun(run.Id).SetStateAsync(Proposed(StateType.Running), false);
        var result = await Silo.TaskRun(run.Id).SetStateAsync(new ProposedState
        {
            Type = StateType.Completed,
            Data = Json("""{"type":"reference"}"""),
            StateDetails = new StateDetails { CacheKey = cacheKey, CacheExpiration = expiration },
        }, false);
        Assert.Equal(OrchestrationStatus.Accept, result.Result.Status);
    }
}
