using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Silo.Tests.Conformance;

public abstract partial class StoreConformance
{
    [Fact]
    public async Task FlowRunGrain_Create_StoresRunWithItsInitialState()
    {
        var flow = await NewFlowAsync();
        var due = Start.AddHours(1);
        var id = Silo.NewId();
        var run = new FlowRun
        {
            Id = Guid.Empty,
            Name = "brave-fox",
            FlowId = flow.Id,
            Tags = ["prod", "nightly"],
            Parameters = Json("""{"n":3,"who":"world"}"""),
            EmpiricalPolicy = new FlowRunPolicy { Retries = 2, RetryDelay = 5 },
            FlowVersion = "1.0",
            WorkQueueName = "default",
        };

        var (stored, created) = await Silo.FlowRun(id).CreateAsync(run, Scheduled(due));
        var loaded = await Silo.FlowRun(id).GetAsync();

        Assert.True(created);
        Assert.Equal(id, stored.Id);
        Assert.NotNull(loaded);
        Assert.Equal(id, loaded.Id);
        Assert.Equal("brave-fox", loaded.Name);
        Assert.Equal(flow.Id, loaded.FlowId);
        Assert.Equal(["prod", "nightly"], loaded.Tags);
        Assert.Equal("""{"n":3,"who":"world"}""", loaded.Parameters!.Value.GetRawText());
        Assert.Equal(2, loaded.EmpiricalPolicy.Retries);
        Assert.Equal(5, loaded.EmpiricalPolicy.RetryDelay);
        Assert.Equal("1.0", loaded.FlowVersion);
        Assert.Equal("default", loaded.WorkQueueName);
        Assert.Equal(Start, loaded.Created);
        Assert.Equal(StateType.Scheduled, loaded.StateType);
        Assert.Equal("Scheduled", loaded.StateName);
        Assert.Equal(loaded.StateId, loaded.State!.Id);
        Assert.Equal(Start, loaded.State.Timestamp);
        Assert.Equal(due, loaded.State.StateDetails.ScheduledTime);
        Assert.Equal(id, loaded.State.StateDetails.FlowRunId);
        Assert.Equal(due, loaded.ExpectedStartTime);
        Assert.Equal(due, loaded.NextScheduledStartTime);
        var history = await Queries.FlowRunStatesAsync(id, default);
        Assert.Equal(loaded.State.Id, Assert.Single(history).Id);
        Assert.Equal(loaded.State, await Queries.FlowRunStateAsync(loaded.State.Id, default));
    }

    [Fact]
    public async Task FlowRunGrain_GetUnknownRun_ReturnsNull()
    {
        Assert.Null(await Silo.FlowRun(Guid.NewGuid()).GetAsync());
        Assert.Empty(await Queries.FlowRunStatesAsync(Guid.NewGuid(), default));
    }

    [Fact]
    public async Task FlowRunGrain_CreateWithSameIdempotencyKey_ReturnsFirstRunNotCreated()
    {
        var flow = await NewFlowAsync();
        var first = await NewFlowRunAsync(flow.Id, Scheduled(Start), name: "first", idempotencyKey: "schedule-2024-01-01");
        var secondId = Silo.NewId();

        var (second, created) = await Silo.FlowRun(secondId).CreateAsync(
            new FlowRun { Id = Guid.Empty, Name = "second", FlowId = flow.Id, IdempotencyKey = "schedule-2024-01-01" },
            Scheduled(Start));

        Assert.False(created);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal("first", second.Name);
        Assert.Null(await Silo.FlowRun(secondId).GetAsync());
        Assert.Equal(1, await Queries.CountFlowRunsAsync(Json("{}"), default));
        Assert.Single(await Queries.FlowRunStatesAsync(first.Id, default));
    }

    [Fact]
    public async Task FlowRunGrain_SameIdempotencyKeyOnAnotherFlow_CreatesNewRun()
    {
        var etl = await NewFlowAsync("etl");
        var report = await NewFlowAsync("report");
        var first = await NewFlowRunAsync(etl.Id, idempotencyKey: "key");

        var second = await NewFlowRunAsync(report.Id, idempotencyKey: "key");

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(2, await Queries.CountFlowRunsAsync(Json("""{"flow_runs": {"idempotency_key": {"any_": ["key"]}}}"""), default));
    }

    [Fact]
    public async Task FlowRunGrain_Update_ChangesFieldsAndKeepsState()
    {
        var run = await RunningFlowRunAsync(tags: ["old"]);
        Clock.Advance(TimeSpan.FromMinutes(1));

        var updated = await Silo.FlowRun(run.Id).UpdateAsync(new FlowRunUpdate { Name = "renamed", Tags = ["new"], InfrastructurePid = "4242" });

        var loaded = await Silo.FlowRun(run.Id).GetAsync();
        Assert.True(updated);
        Assert.Equal("renamed", loaded!.Name);
        Assert.Equal(["new"], loaded.Tags);
        Assert.Equal("4242", loaded.InfrastructurePid);
        Assert.Equal(run.State, loaded.State);
        Assert.Equal(StateType.Running, loaded.StateType);
        Assert.Equal(Clock.GetUtcNow(), loaded.Updated);
        // The filter columns follow the record, not only its JSON.
        Assert.Equal(1, await Queries.CountFlowRunsAsync(Json("""{"flow_runs": {"tags": {"all_": ["new"]}, "name": {"any_": ["renamed"]}}}"""), default));
        Assert.Equal(0, await Queries.CountFlowRunsAsync(Json("""{"flow_runs": {"tags": {"all_": ["old"]}}}"""), default));
        Assert.False(await Silo.FlowRun(Guid.NewGuid()).UpdateAsync(new FlowRunUpdate { Name = "x" }));
    }

    [Fact]
    public async Task FlowRunGrain_Delete_RemovesRunItsStatesAndTaskRuns()
    {
        var run = await RunningFlowRunAsync();
        var task = await NewTaskRunAsync(run.Id);
        var other = await RunningFlowRunAsync();
        var otherTask = await NewTaskRunAsync(other.Id);

        Assert.True(await Silo.FlowRun(run.Id).DeleteAsync());

        Assert.Null(await Silo.FlowRun(run.Id).GetAsync());
        Assert.Empty(await Queries.FlowRunStatesAsync(run.Id, default));
        Assert.Null(await Silo.TaskRun(task.Id).GetAsync());
        Assert.Empty(await Queries.TaskRunStatesAsync(task.Id, default));
        Assert.False(await Silo.FlowRun(run.Id).DeleteAsync());
        Assert.NotNull(await Silo.FlowRun(other.Id).GetAsync());
        Assert.Equal(3, (await Queries.FlowRunStatesAsync(other.Id, default)).Count);
        Assert.NotNull(await Silo.TaskRun(otherTask.Id).GetAsync());
    }

    [Fact]
    public async Task FlowRunGrain_SetState_RecordsStateHistoryInOrder()
    {
        var flow = await NewFlowAsync();
        var run = await NewFlowRunAsync(flow.Id, Scheduled(Start));
        var written = new List<State> { run.State! };

        foreach (var (type, after) in new[] { (StateType.Pending, 1), (StateType.Running, 1), (StateType.Completed, 10) })
        {
            Clock.Advance(TimeSpan.FromSeconds(after));
            var result = await Silo.FlowRun(run.Id).SetStateAsync(Proposed(type), force: false);
            Assert.Equal(OrchestrationStatus.Accept, result.Result.Status);
            Assert.True(result.Written);
            written.Add(result.Result.State!);
        }

        var history = await Queries.FlowRunStatesAsync(run.Id, default);
        var loaded = await Silo.FlowRun(run.Id).GetAsync();
        Assert.Equal([StateType.Scheduled, StateType.Pending, StateType.Running, StateType.Completed], history.Select(s => s.Type));
        Assert.Equal(written.Select(s => s.Id), history.Select(s => s.Id));
        Assert.Equal([Start, Start.AddSeconds(1), Start.AddSeconds(2), Start.AddSeconds(12)], history.Select(s => s.Timestamp));
        Assert.Equal(StateType.Completed, loaded!.StateType);
        Assert.Equal(written[^1].Id, loaded.StateId);
        Assert.Equal(1, loaded.RunCount);
        Assert.Equal(Start.AddSeconds(2), loaded.StartTime);
        Assert.Equal(Start.AddSeconds(12), loaded.EndTime);
        Assert.Equal(10, loaded.TotalRunTime, precision: 6);
        Assert.Null(loaded.NextScheduledStartTime);
    }

    [Fact]
    public async Task FlowRunGrain_SetStateOnUnknownRun_ThrowsKeyNotFound()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Silo.FlowRun(Guid.NewGuid()).SetStateAsync(Proposed(StateType.Pending), force: false));
    }

    [Fact]
    public async Task FlowRunGrain_AbortedProposal_WritesNothing()
    {
        var run = await RunningFlowRunAsync();

        var result = await Silo.FlowRun(run.Id).SetStateAsync(Proposed(StateType.Pending), force: false);

        Assert.Equal(OrchestrationStatus.Abort, result.Result.Status);
        Assert.False(result.Written);
        Assert.Equal(3, (await Queries.FlowRunStatesAsync(run.Id, default)).Count);
        var loaded = await Silo.FlowRun(run.Id).GetAsync();
        Assert.Equal(run.StateId, loaded!.StateId);
        Assert.Equal(run.Updated, loaded.Updated);
    }

    [Fact]
    public async Task FlowRunGrain_ForcedProposal_SkipsTheRules()
    {
        var run = await RunningFlowRunAsync();

        var result = await Silo.FlowRun(run.Id).SetStateAsync(Proposed(StateType.Pending), force: true);

        Assert.Equal(OrchestrationStatus.Accept, result.Result.Status);
        Assert.Equal(StateType.Pending, (await Silo.FlowRun(run.Id).GetAsync())!.StateType);
    }

    [Fact]
    public async Task FlowRunGrain_RunningBeforeScheduledTime_WaitsUntilTheClockReachesIt()
    {
        var run = await NewFlowRunAsync((await NewFlowAsync()).Id, Scheduled(Start.AddSeconds(30)));
        Assert.Equal(OrchestrationStatus.Accept, (await Silo.FlowRun(run.Id).SetStateAsync(Proposed(StateType.Pending), false)).Result.Status);

        var early = await Silo.FlowRun(run.Id).SetStateAsync(Proposed(StateType.Running), false);
        Clock.Advance(TimeSpan.FromSeconds(30));
        var due = await Silo.FlowRun(run.Id).SetStateAsync(Proposed(StateType.Running), false);

        Assert.Equal(OrchestrationStatus.Wait, early.Result.Status);
        Assert.Equal(30, early.Result.Details.DelaySeconds);
        Assert.False(early.Written);
        Assert.Equal(OrchestrationStatus.Accept, due.Result.Status);
        Assert.Equal(Start.AddSeconds(30), (await Silo.FlowRun(run.Id).GetAsync())!.StartTime);
    }

    [Fact]
    public async Task FlowRunGrain_FailureWithRetriesLeft_StoresAwaitingRetryState()
    {
        var flow = await NewFlowAsync();
        var (run, _) = await Silo.FlowRun(Silo.NewId()).CreateAsync(
            new FlowRun { Id = Guid.Empty, Name = "retrying", FlowId = flow.Id, EmpiricalPolicy = new FlowRunPolicy { Retries = 1, RetryDelay = 10 } },
            Scheduled(Start));
        await Silo.FlowRun(run.Id).SetStateAsync(Proposed(StateType.Pending), false);
        await Silo.FlowRun(run.Id).SetStateAsync(Proposed(StateType.Running), false);
        Clock.Advance(TimeSpan.FromSeconds(3));

        var result = await Silo.FlowRun(run.Id).SetStateAsync(new ProposedState { Type = StateType.Failed, Message = "boom" }, false);

        Assert.Equal(OrchestrationStatus.Reject, result.Result.Status);
        Assert.True(result.Written);
        var loaded = await Silo.FlowRun(run.Id).GetAsync();
        Assert.Equal(StateType.Scheduled, loaded!.StateType);
        Assert.Equal("AwaitingRetry", loaded.StateName);
        Assert.Equal(Start.AddSeconds(13), loaded.NextScheduledStartTime);
        var last = (await Queries.FlowRunStatesAsync(run.Id, default))[^1];
        Assert.Equal("AwaitingRetry", last.Name);
        Assert.Equal("boom", last.Message);
        Assert.Equal(1, await Queries.CountFlowRunsAsync(Json("""{"flow_runs": {"state": {"name": {"any_": ["AwaitingRetry"]}}}}"""), default));
    }

    [Fact]
    public async Task FlowRunGrain_PauseThenResume_PersistsThePausePolicy()
    {
        var run = await RunningFlowRunAsync();
        Clock.Advance(TimeSpan.FromSeconds(5));
        var pause = new ProposedState
        {
            Type = StateType.Paused,
            StateDetails = new StateDetails { PauseKey = "approve", PauseTimeout = Clock.GetUtcNow().AddHours(1) },
        };

        var paused = await Silo.FlowRun(run.Id).SetStateAsync(pause, false);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var resumed = await Silo.FlowRun(run.Id).ResumeAsync();
        var pausedAgain = await Silo.FlowRun(run.Id).SetStateAsync(pause, false);
        var resumedWhileRunning = await Silo.FlowRun(run.Id).ResumeAsync();

        Assert.Equal(OrchestrationStatus.Accept, paused.Result.Status);
        Assert.Equal(OrchestrationStatus.Accept, resumed.Result.Status);
        Assert.Equal(StateType.Running, resumed.Result.State!.Type);
        Assert.Equal(OrchestrationStatus.Reject, pausedAgain.Result.Status);
        Assert.Equal(OrchestrationStatus.Abort, resumedWhileRunning.Result.Status);
        var loaded = await Silo.FlowRun(run.Id).GetAsync();
        Assert.Equal(StateType.Running, loaded!.StateType);
        Assert.Equal(["approve"], loaded.EmpiricalPolicy.PauseKeys);
        Assert.True(loaded.EmpiricalPolicy.Resuming);
        Assert.Equal(2, loaded.RunCount); // as the 11-pause-resume traffic shows
        Assert.Equal([StateType.Scheduled, StateType.Pending, StateType.Running, StateType.Paused, StateType.Running],
            (await Queries.FlowRunStatesAsync(run.Id, default)).Select(s => s.Type));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Silo.FlowRun(Guid.NewGuid()).ResumeAsync());
    }
}
