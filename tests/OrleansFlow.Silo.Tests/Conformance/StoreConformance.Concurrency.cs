using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;
using OrleansFlow.Grains.TaskRuns;

namespace OrleansFlow.Silo.Tests.Conformance;

/// <summary>Real concurrency on the real database: two silos over one database stand for two server nodes (or the
/// server and an ephemeral SDK process); every call goes through the public grain API.</summary>
public abstract partial class StoreConformance
{
    [Fact]
    public async Task FlowRunGrain_ConcurrentPendingProposalsOnTwoNodes_ExactlyOneIsAccepted()
    {
        var other = await StartNodeAsync();
        var flow = await NewFlowAsync();

        for (var round = 0; round < 5; round++)
        {
            var run = await NewFlowRunAsync(flow.Id, Scheduled(Clock.GetUtcNow()), name: $"contested-{round}");
            Clock.Advance(TimeSpan.FromSeconds(1));

            var results = await AllAtOnceAsync(16, i => (i % 2 == 0 ? Silo : other).FlowRun(run.Id).SetStateAsync(Proposed(StateType.Pending), force: false));

            Assert.Single(results, r => r.Result.Status == OrchestrationStatus.Accept);
            Assert.All(results.Where(r => r.Result.Status != OrchestrationStatus.Accept), r =>
            {
                Assert.Equal(OrchestrationStatus.Abort, r.Result.Status);
                Assert.False(r.Written);
            });
            var history = await Queries.FlowRunStatesAsync(run.Id, default);
            Assert.Equal([StateType.Scheduled, StateType.Pending], history.Select(s => s.Type));
            Assert.Equal(results.Single(r => r.Written).Result.State!.Id, history[1].Id);
            Assert.Equal(history[1].Id, (await other.FlowRun(run.Id).GetAsync())!.StateId);
        }
    }

    [Fact]
    public async Task FlowRunGrain_ConcurrentCreatesWithOneIdempotencyKeyOnTwoNodes_CreateOneRun()
    {
        var other = await StartNodeAsync();
        var flow = await NewFlowAsync();

        var results = await AllAtOnceAsync(12, i =>
        {
            var node = i % 2 == 0 ? Silo : other;
            return node.FlowRun(node.NewId()).CreateAsync(
                new FlowRun { Id = Guid.Empty, Name = $"attempt-{i}", FlowId = flow.Id, IdempotencyKey = "scheduled-12:00" }, Scheduled(Start));
        });

        var winner = Assert.Single(results, r => r.Created).Run;
        Assert.All(results, r => Assert.Equal(winner.Id, r.Run.Id));
        Assert.Equal(1, await Queries.CountFlowRunsAsync(Json("{}"), default));
        Assert.Single(await Queries.FlowRunStatesAsync(winner.Id, default));
    }

    [Fact]
    public async Task TaskRunGrain_ConcurrentCreatesOfOneKeyOnTwoNodes_CreateOneRun()
    {
        var other = await StartNodeAsync();
        var flowRun = await RunningFlowRunAsync();

        var results = await AllAtOnceAsync(12, i =>
        {
            var node = i % 2 == 0 ? Silo : other;
            return node.TaskRun(node.NewId()).CreateAsync(
                new TaskRun { Id = Guid.Empty, Name = $"extract-{i}", FlowRunId = flowRun.Id, TaskKey = "tasks.extract", DynamicKey = "0" },
                Proposed(StateType.Pending));
        });

        var winner = Assert.Single(results, r => r.Created).Run;
        Assert.All(results, r => Assert.Equal(winner.Id, r.Run.Id));
        Assert.Equal(1, await Queries.CountTaskRunsAsync(Json("{}"), default));
    }

    [Fact]
    public async Task TaskRunGrain_ConcurrentRunningProposalsOnTwoNodes_TakeNoMoreSlotsThanTheLimit()
    {
        var other = await StartNodeAsync();
        await Limits.UpsertAsync("db", 2, default);
        var flowRun = await RunningFlowRunAsync();
        var runs = new List<TaskRun>();
        for (var i = 0; i < 8; i++)
        {
            runs.Add(await NewTaskRunAsync(flowRun.Id, dynamicKey: i.ToString(System.Globalization.CultureInfo.InvariantCulture), tags: ["db"]));
        }

        var results = await AllAtOnceAsync(runs.Count, i => (i % 2 == 0 ? Silo : other).TaskRun(runs[i].Id).SetStateAsync(Proposed(StateType.Running), force: false));

        var accepted = runs.Where((_, i) => results[i].Result.Status == OrchestrationStatus.Accept).Select(r => r.Id).ToList();
        Assert.Equal(2, accepted.Count);
        Assert.Equal(6, results.Count(r => r.Result.Status == OrchestrationStatus.Wait));
        Assert.Equal(accepted.Order(), (await Limits.GetByTagAsync("db", default))!.ActiveSlots.Order());
        Assert.Equal(2, await Queries.CountTaskRunsAsync(Json("""{"task_runs": {"state": {"type": {"any_": ["RUNNING"]}}}}"""), default));
    }

    /// <summary>Writes are committed in groups: a call that fails (unknown run, duplicate key) must fail alone, and the
    /// good calls that shared its batch must still commit. A create sent again for a run that exists (a copy the gateway
    /// repeats after a silo died) is answered with that run and changes nothing.</summary>
    [Fact]
    public async Task Grains_FailingCallsAmongConcurrentGoodOnes_FailAloneAndTheOthersCommit()
    {
        var flow = await NewFlowAsync();
        var existing = await NewFlowRunAsync(flow.Id, Scheduled(Start), name: "existing");
        var existingTask = await NewTaskRunAsync(existing.Id);

        var outcomes = await AllAtOnceAsync(40, async i =>
        {
            try
            {
                switch (i % 4)
                {
                    case 0:
                        await Silo.FlowRun(Guid.NewGuid()).SetStateAsync(Proposed(StateType.Pending), force: false);
                        return "ok";
                    case 1:
                        // The same id with another key: the primary key refuses it.
                        await Silo.TaskRun(existingTask.Id).CreateAsync(
                            new TaskRun { Id = Guid.Empty, Name = $"clash-{i}", FlowRunId = existing.Id, TaskKey = $"tasks.clash-{i}", DynamicKey = "0" },
                            Proposed(StateType.Pending));
                        return "ok";
                    case 2:
                        var (again, againCreated) = await Silo.FlowRun(existing.Id).CreateAsync(new FlowRun { Id = Guid.Empty, Name = $"copy-{i}", FlowId = flow.Id }, null);
                        return !againCreated && again.Name == "existing" ? "existing" : "changed";
                    default:
                        var (_, created) = await Silo.FlowRun(Silo.NewId()).CreateAsync(new FlowRun { Id = Guid.Empty, Name = $"good-{i}", FlowId = flow.Id }, Scheduled(Start));
                        return created ? "created" : "not created";
                }
            }
            catch (KeyNotFoundException)
            {
                return "missing";
            }
            catch (System.Data.Common.DbException)
            {
                return "duplicate";
            }
        });

        Assert.Equal(10, outcomes.Count(o => o == "missing"));
        Assert.Equal(10, outcomes.Count(o => o == "duplicate"));
        Assert.Equal(10, outcomes.Count(o => o == "existing"));
        Assert.Equal(10, outcomes.Count(o => o == "created"));
        Assert.Equal(11, await Queries.CountFlowRunsAsync(Json("{}"), default));
        Assert.Equal(10, await Queries.CountFlowRunsAsync(Json("""{"flow_runs": {"name": {"like_": "good-"}}}"""), default));
        Assert.Equal(1, await Queries.CountTaskRunsAsync(Json("{}"), default));
        Assert.Equal("existing", (await Silo.FlowRun(existing.Id).GetAsync())!.Name);
        Assert.Single(await Queries.FlowRunStatesAsync(existing.Id, default));
    }

    /// <summary>Many writers on two nodes at once (for SQLite: two processes' worth of writers on one file, the case that
    /// must never surface "database is locked"). Every call must succeed and every count must be exact.</summary>
    [Fact]
    public async Task Grains_ThirtyTwoConcurrentWritersOnTwoNodes_AllSucceedWithExactCounts()
    {
        const int Writers = 32;
        const int RunsPerWriter = 4;
        var other = await StartNodeAsync();
        var flow = await NewFlowAsync();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();

        var runIds = await AllAtOnceAsync(Writers, async writer =>
        {
            var node = writer % 2 == 0 ? Silo : other;
            var ids = new List<Guid>();
            for (var i = 0; i < RunsPerWriter; i++)
            {
                try
                {
                    ids.Add(await DriveOneRunAsync(node, flow.Id, $"w{writer}-r{i}"));
                }
                catch (Exception ex)
                {
                    failures.Enqueue($"writer {writer} run {i}: {ex.GetType().Name}: {ex.Message}");
                }
            }

            return ids;
        });

        Assert.Empty(failures);
        var all = runIds.SelectMany(ids => ids).ToList();
        Assert.Equal(Writers * RunsPerWriter, all.Distinct().Count());
        Assert.Equal(Writers * RunsPerWriter, await Queries.CountFlowRunsAsync(Json("""{"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}"""), default));
        Assert.Equal(Writers * RunsPerWriter, await Queries.CountFlowRunsAsync(Json("{}"), default));
        Assert.Equal(Writers * RunsPerWriter, await Queries.CountTaskRunsAsync(Json("""{"task_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}"""), default));
        Assert.Equal(Writers * RunsPerWriter, await Queries.CountTaskRunsAsync(Json("{}"), default));
        foreach (var id in all)
        {
            var history = await Queries.FlowRunStatesAsync(id, default);
            Assert.Equal([StateType.Scheduled, StateType.Pending, StateType.Running, StateType.Completed], history.Select(s => s.Type));
        }
    }

    /// <summary>One run, start to end, with a task: 7 writes. The clock moves before each write so that a run's states
    /// never share a timestamp (the history is ordered by time).</summary>
    private async Task<Guid> DriveOneRunAsync(Runtime.OrleansFlowSilo node, Guid flowId, string name)
    {
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        var (run, _) = await node.FlowRun(node.NewId()).CreateAsync(new FlowRun { Id = Guid.Empty, Name = name, FlowId = flowId }, Scheduled(Clock.GetUtcNow()));
        await ExpectAsync(node.FlowRun(run.Id).SetStateAsync, StateType.Pending);
        await ExpectAsync(node.FlowRun(run.Id).SetStateAsync, StateType.Running);
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        var (task, _) = await node.TaskRun(node.NewId()).CreateAsync(
            new TaskRun { Id = Guid.Empty, Name = name + "-task", FlowRunId = run.Id, TaskKey = "tasks.work", DynamicKey = "0" }, Proposed(StateType.Pending));
        await ExpectAsync(node.TaskRun(task.Id).SetStateAsync, StateType.Running);
        await ExpectAsync(node.TaskRun(task.Id).SetStateAsync, StateType.Completed);
        await ExpectAsync(node.FlowRun(run.Id).SetStateAsync, StateType.Completed);
        return run.Id;

        async Task ExpectAsync(Func<ProposedState, bool, CancellationToken, Task<SetStateResult>> setState, StateType type)
        {
            Clock.Advance(TimeSpan.FromMilliseconds(1));
            var result = await setState(Proposed(type), false, default);
            if (result.Result.Status != OrchestrationStatus.Accept)
            {
                throw new InvalidOperationException($"{type} was answered {result.Result.Status}: {result.Result.Details.Reason}");
            }
        }
    }
}
