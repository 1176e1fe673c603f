using System.Net;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.TaskRuns;

/// <summary><c>/api/task_runs</c> and <c>/api/task_run_states</c> over HTTP.</summary>
public sealed class TaskRunRoutesTests(ServerPool servers) : IClassFixture<ServerPool>
{
    [Fact]
    public async Task Create_Pending_Answers201WithThePrefectTaskRunShape()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var flowRunId = await NewFlowRunAsync(api);

        var run = await api.CreateTaskRunAsync(flowRunId, "etl.extract", "3", tags: ["db"]);

        Assert.Equal("PENDING", run["state_type"]!.GetValue<string>());
        Assert.Equal(0, run["run_count"]!.GetValue<int>());
        Assert.Equal("etl.extract", run["task_key"]!.GetValue<string>());
        Assert.Equal("3", run["dynamic_key"]!.GetValue<string>());
        Assert.Equal(flowRunId.ToString(), run["flow_run_id"]!.GetValue<string>());
        Assert.Equal(PrefectApi.IdOf(run).ToString(), run["state"]!["state_details"]!["task_run_id"]!.GetValue<string>());
        foreach (var field in new[] { "cache_key", "cache_expiration", "task_version", "empirical_policy", "task_inputs", "flow_run_run_count",
            "expected_start_time", "start_time", "end_time", "total_run_time", "estimated_run_time", "estimated_start_time_delta", "state_id", "tags" })
        {
            Assert.True(run.ContainsKey(field), $"task run lacks '{field}': {run.ToJsonString()}");
        }
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Create_SameFlowRunTaskKeyAndDynamicKey_ReturnsTheSameRunWith200(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowRunId = await NewFlowRunAsync(api);
        var first = await api.CreateTaskRunAsync(flowRunId, "etl.load", "0");
        await api.AcceptStateAsync("task_runs", PrefectApi.IdOf(first), "RUNNING");

        var again = (await api.PostAsync("task_runs/", new { flow_run_id = flowRunId, task_key = "etl.load", dynamic_key = "0", state = new { type = "PENDING" } }))
            .Expect(HttpStatusCode.OK).Object;
        var other = (await api.PostAsync("task_runs/", new { flow_run_id = flowRunId, task_key = "etl.load", dynamic_key = "1" })).Expect(HttpStatusCode.Created);

        Assert.Equal(PrefectApi.IdOf(first), PrefectApi.IdOf(again));
        // The existing run is returned as it is: the second create's PENDING is not applied over RUNNING.
        Assert.Equal("RUNNING", again["state_type"]!.GetValue<string>());
        Assert.NotEqual(PrefectApi.IdOf(first), other.Id);
        Assert.Equal(2, await api.CountAsync("task_runs", new { flow_runs = new { id = new { any_ = new[] { flowRunId } } } }));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task SetState_RunningThenCompleted_RecordsTheHistoryAndRunCount(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var taskRunId = PrefectApi.IdOf(await api.CreateTaskRunAsync(await NewFlowRunAsync(api)));

        await api.AcceptStateAsync("task_runs", taskRunId, "RUNNING");
        await api.AcceptStateAsync("task_runs", taskRunId, "COMPLETED");

        var states = (await api.GetAsync($"task_run_states/?task_run_id={taskRunId}")).Expect(HttpStatusCode.OK).Array;
        Assert.Equal(["PENDING", "RUNNING", "COMPLETED"], states.Select(s => s!["type"]!.GetValue<string>()));
        var run = (await api.GetAsync($"task_runs/{taskRunId}")).Expect(HttpStatusCode.OK).Object;
        Assert.Equal(1, run["run_count"]!.GetValue<int>());
        Assert.Equal(states[^1]!["id"]!.GetValue<string>(), run["state_id"]!.GetValue<string>());
        var state = (await api.GetAsync($"task_run_states/{states[0]!["id"]}")).Expect(HttpStatusCode.OK).Object;
        Assert.Equal("Pending", state["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task FilterAndCount_ByFlowRunStateTagsAndKey_MatchTheSameRuns(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowRunId = await NewFlowRunAsync(api);
        var otherFlowRunId = await NewFlowRunAsync(api);
        var a = PrefectApi.IdOf(await api.CreateTaskRunAsync(flowRunId, "etl.a", "0", tags: ["db", "slow"]));
        var b = PrefectApi.IdOf(await api.CreateTaskRunAsync(flowRunId, "etl.b", "0", tags: ["db"]));
        var c = PrefectApi.IdOf(await api.CreateTaskRunAsync(flowRunId, "etl.c", "0", tags: ["cpu"]));
        var elsewhere = PrefectApi.IdOf(await api.CreateTaskRunAsync(otherFlowRunId, "etl.a", "0", tags: ["db"]));
        foreach (var id in new[] { a, b, elsewhere })
        {
            await api.AcceptStateAsync("task_runs", id, "RUNNING");
        }

        var sections = new Dictionary<string, object>
        {
            ["task_runs"] = new
            {
                flow_run_id = new { any_ = new[] { flowRunId } },
                state = new { type = new { any_ = new[] { "RUNNING" } } },
                tags = new { any_ = new[] { "db", "gpu" } },
            },
        };
        var byNameDesc = await api.FilterIdsAsync("task_runs", new Dictionary<string, object>(sections) { ["sort"] = "NAME_DESC" });
        var firstPage = await api.FilterIdsAsync("task_runs", new Dictionary<string, object>(sections) { ["sort"] = "NAME_DESC", ["limit"] = 1 });
        var count = await api.CountAsync("task_runs", sections);
        var pendingCount = await api.CountAsync("task_runs", new
        {
            task_runs = new { flow_run_id = new { any_ = new[] { flowRunId } }, state = new { type = new { not_any_ = new[] { "RUNNING" } } } },
        });

        Assert.Equal([b, a], byNameDesc);
        Assert.Equal([b], firstPage);
        Assert.Equal(2, count);
        Assert.Equal(1, pendingCount);
        Assert.NotEqual(Guid.Empty, c);
    }

    [Fact]
    public async Task Filter_ByFlowRunSection_ReturnsTheTaskRunsOfMatchingFlowRuns()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var flowId = await api.CreateFlowAsync($"task-parent-{Guid.NewGuid():N}");
        var running = PrefectApi.IdOf(await api.CreateFlowRunAsync(flowId));
        var pending = PrefectApi.IdOf(await api.CreateFlowRunAsync(flowId));
        await api.AcceptStateAsync("flow_runs", running, "RUNNING");
        var wanted = PrefectApi.IdOf(await api.CreateTaskRunAsync(running));
        await api.CreateTaskRunAsync(pending);

        var ids = await api.FilterIdsAsync("task_runs", new
        {
            flows = new { id = new { any_ = new[] { flowId } } },
            flow_runs = new { state = new { type = new { any_ = new[] { "RUNNING" } } } },
        });

        Assert.Equal([wanted], ids);
    }

    [Fact]
    public async Task Patch_Name_IsStored()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var taskRunId = PrefectApi.IdOf(await api.CreateTaskRunAsync(await NewFlowRunAsync(api)));

        (await api.PatchAsync($"task_runs/{taskRunId}", new { name = "renamed-task" })).Expect(HttpStatusCode.NoContent);

        Assert.Equal("renamed-task", (await api.GetAsync($"task_runs/{taskRunId}")).Expect(HttpStatusCode.OK).Object["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_TaskRun_RemovesItAndItsStates()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var flowRunId = await NewFlowRunAsync(api);
        var taskRunId = PrefectApi.IdOf(await api.CreateTaskRunAsync(flowRunId));
        var stateId = (await api.AcceptStateAsync("task_runs", taskRunId, "RUNNING"))["state"]!["id"]!.GetValue<string>();

        (await api.DeleteAsync($"task_runs/{taskRunId}")).Expect(HttpStatusCode.NoContent);

        (await api.GetAsync($"task_runs/{taskRunId}")).Expect(HttpStatusCode.NotFound);
        (await api.GetAsync($"task_run_states/{stateId}")).Expect(HttpStatusCode.NotFound);
        (await api.GetAsync($"flow_runs/{flowRunId}")).Expect(HttpStatusCode.OK);
        (await api.DeleteAsync($"task_runs/{taskRunId}")).Expect(HttpStatusCode.NotFound);
    }

    private static async Task<Guid> NewFlowRunAsync(PrefectApi api)
    {
        var runId = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync($"tasks-{Guid.NewGuid():N}")));
        await api.AcceptStateAsync("flow_runs", runId, "RUNNING");
        return runId;
    }
}
