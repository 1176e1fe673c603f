using System.Net;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.FlowRuns;

/// <summary><c>/api/flow_runs</c> and <c>/api/flow_run_states</c> over HTTP.</summary>
public sealed class FlowRunRoutesTests(ServerPool servers) : IClassFixture<ServerPool>
{
    [Fact]
    public async Task Create_Pending_Answers201WithThePrefectRunShape()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var flowId = await api.CreateFlowAsync(Unique("shape"));

        var run = await api.CreateFlowRunAsync(flowId, name: "shapely-run", tags: ["t1"]);

        Assert.Equal("PENDING", run["state_type"]!.GetValue<string>());
        Assert.Equal("Pending", run["state_name"]!.GetValue<string>());
        Assert.Equal(0, run["run_count"]!.GetValue<int>());
        Assert.Equal("shapely-run", run["name"]!.GetValue<string>());
        Assert.Equal(flowId.ToString(), run["flow_id"]!.GetValue<string>());
        Assert.Equal(run["state_id"]!.GetValue<string>(), run["state"]!["id"]!.GetValue<string>());
        Assert.Equal(PrefectApi.IdOf(run).ToString(), run["state"]!["state_details"]!["flow_run_id"]!.GetValue<string>());
        Assert.Equal("""{"x":1}""", run["parameters"]!.ToJsonString());
        foreach (var field in new[] { "expected_start_time", "start_time", "end_time", "total_run_time", "estimated_run_time",
            "estimated_start_time_delta", "empirical_policy", "idempotency_key", "parent_task_run_id", "work_queue_name",
            "deployment_id", "infrastructure_pid", "auto_scheduled", "created", "updated", "context", "flow_version" })
        {
            Assert.True(run.ContainsKey(field), $"flow run lacks '{field}': {run.ToJsonString()}");
        }
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Create_SameIdempotencyKeyTwice_ReturnsTheSameRunWith200(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowId = await api.CreateFlowAsync(Unique("idempotent"));
        var body = new { flow_id = flowId, idempotency_key = "scheduled-2026-11-22T00:00", state = new { type = "SCHEDULED" } };

        var first = (await api.PostAsync("flow_runs/", body)).Expect(HttpStatusCode.Created);
        var second = (await api.PostAsync("flow_runs/", body)).Expect(HttpStatusCode.OK);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(1, await api.CountAsync("flow_runs", new { flows = new { id = new { any_ = new[] { flowId } } } }));
    }

    [Fact]
    public async Task Create_SameIdempotencyKeyForAnotherFlow_CreatesASecondRun()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var key = Unique("key");
        var first = (await api.PostAsync("flow_runs/", new { flow_id = await api.CreateFlowAsync(Unique("one")), idempotency_key = key })).Expect(HttpStatusCode.Created);

        var second = (await api.PostAsync("flow_runs/", new { flow_id = await api.CreateFlowAsync(Unique("two")), idempotency_key = key })).Expect(HttpStatusCode.Created);

        Assert.NotEqual(first.Id, second.Id);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task SetState_ThroughRunningToCompleted_RecordsTheHistoryOldestFirst(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var runId = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync(Unique("history"))));

        await api.AcceptStateAsync("flow_runs", runId, "RUNNING");
        var completed = await api.AcceptStateAsync("flow_runs", runId, "COMPLETED");

        var states = (await api.GetAsync($"flow_run_states/?flow_run_id={runId}")).Expect(HttpStatusCode.OK).Array;
        Assert.Equal(["PENDING", "RUNNING", "COMPLETED"], states.Select(s => s!["type"]!.GetValue<string>()));
        var run = (await api.GetAsync($"flow_runs/{runId}")).Expect(HttpStatusCode.OK).Object;
        Assert.Equal(completed["state"]!["id"]!.GetValue<string>(), run["state_id"]!.GetValue<string>());
        Assert.Equal(states[^1]!["id"]!.GetValue<string>(), run["state_id"]!.GetValue<string>());
        Assert.Equal("COMPLETED", run["state_type"]!.GetValue<string>());
        Assert.Equal(1, run["run_count"]!.GetValue<int>());
        Assert.NotNull(run["start_time"]?.GetValue<string>());
        Assert.NotNull(run["end_time"]?.GetValue<string>());
        var one = (await api.GetAsync($"flow_run_states/{states[1]!["id"]}")).Expect(HttpStatusCode.OK).Object;
        Assert.Equal("Running", one["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task SetState_Force_AcceptsAWriteTheRulesWouldRefuse()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var runId = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync(Unique("forced"))));
        await api.AcceptStateAsync("flow_runs", runId, "RUNNING");
        await api.AcceptStateAsync("flow_runs", runId, "COMPLETED");
        // Prefect aborts CANCELLING on a terminal run ("Run is already COMPLETED."); force skips the orchestration rules.
        var unforced = (await api.SetStateAsync("flow_runs", runId, "CANCELLING")).Expect(HttpStatusCode.OK).Object;

        var forced = (await api.SetStateAsync("flow_runs", runId, "CANCELLING", force: true)).Expect(HttpStatusCode.Created).Object;

        Assert.Equal("ABORT", unforced["status"]!.GetValue<string>());
        Assert.Equal("ACCEPT", forced["status"]!.GetValue<string>());
        Assert.Equal("CANCELLING", (await api.GetAsync($"flow_runs/{runId}")).Object["state_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Resume_RunThatIsNotPaused_AbortsWithoutWriting()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var runId = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync(Unique("not-paused"))));
        await api.AcceptStateAsync("flow_runs", runId, "RUNNING");

        var result = (await api.PostAsync($"flow_runs/{runId}/resume")).Expect(HttpStatusCode.OK).Object;

        Assert.Equal("ABORT", result["status"]!.GetValue<string>());
        Assert.Equal(2, (await api.GetAsync($"flow_run_states/?flow_run_id={runId}")).Array.Count);
    }

    [Fact]
    public async Task Patch_NameTagsAndParameters_AreStored()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var runId = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync(Unique("patched"))));

        (await api.PatchAsync($"flow_runs/{runId}", new { name = "renamed", tags = new[] { "p" }, parameters = new { y = 2 } })).Expect(HttpStatusCode.NoContent);

        var run = (await api.GetAsync($"flow_runs/{runId}")).Expect(HttpStatusCode.OK).Object;
        Assert.Equal("renamed", run["name"]!.GetValue<string>());
        Assert.Equal("""["p"]""", run["tags"]!.ToJsonString());
        Assert.Equal("""{"y":2}""", run["parameters"]!.ToJsonString());
        Assert.Equal("PENDING", run["state_type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task FilterAndCount_ByStateTagsFlowAndName_MatchTheSameRuns(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowId = await api.CreateFlowAsync(Unique("filtered"));
        var otherFlowId = await api.CreateFlowAsync(Unique("unfiltered"));
        var running = new List<Guid>();
        foreach (var (name, tags) in new[] { ("run-b", new[] { "etl", "prod" }), ("run-a", new[] { "etl", "prod" }), ("run-c", new[] { "etl" }) })
        {
            var id = PrefectApi.IdOf(await api.CreateFlowRunAsync(flowId, name, tags: tags));
            await api.AcceptStateAsync("flow_runs", id, "RUNNING");
            running.Add(id);
        }

        await api.CreateFlowRunAsync(flowId, "run-pending", tags: ["etl", "prod"]);
        var elsewhere = PrefectApi.IdOf(await api.CreateFlowRunAsync(otherFlowId, "run-z", tags: ["etl", "prod"]));
        await api.AcceptStateAsync("flow_runs", elsewhere, "RUNNING");

        var sections = new Dictionary<string, object>
        {
            ["flows"] = new { id = new { any_ = new[] { flowId } } },
            ["flow_runs"] = new
            {
                state = new { type = new { any_ = new[] { "RUNNING" } } },
                tags = new { all_ = new[] { "etl", "prod" } },
                name = new { like_ = "run-" },
            },
        };
        var byName = await api.FilterIdsAsync("flow_runs", new Dictionary<string, object>(sections) { ["sort"] = "NAME_ASC" });
        var secondPage = await api.FilterIdsAsync("flow_runs", new Dictionary<string, object>(sections) { ["sort"] = "NAME_ASC", ["limit"] = 1, ["offset"] = 1 });
        var count = await api.CountAsync("flow_runs", sections);

        Assert.Equal([running[1], running[0]], byName);
        Assert.Equal([running[0]], secondPage);
        Assert.Equal(2, count);
    }

    [Fact]
    public async Task Filter_NameAnyAndStateName_SelectExactly()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var flowId = await api.CreateFlowAsync(Unique("exact"));
        var wanted = PrefectApi.IdOf(await api.CreateFlowRunAsync(flowId, Unique("wanted")));
        var other = PrefectApi.IdOf(await api.CreateFlowRunAsync(flowId, Unique("other")));
        await api.AcceptStateAsync("flow_runs", wanted, "RUNNING");
        await api.AcceptStateAsync("flow_runs", other, "RUNNING");
        var wantedName = (await api.GetAsync($"flow_runs/{wanted}")).Object["name"]!.GetValue<string>();

        var byName = await api.FilterIdsAsync("flow_runs", new { flow_runs = new { name = new { any_ = new[] { wantedName } } } });
        var byStateName = await api.FilterIdsAsync("flow_runs", new
        {
            flows = new { id = new { any_ = new[] { flowId } } },
            flow_runs = new { state = new { name = new { any_ = new[] { "Running" } } } },
            sort = "EXPECTED_START_TIME_ASC",
        });

        Assert.Equal([wanted], byName);
        Assert.Equal([wanted, other], byStateName);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Delete_Run_RemovesItsStatesAndTaskRuns(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var runId = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync(Unique("deleted"))));
        var stateId = (await api.AcceptStateAsync("flow_runs", runId, "RUNNING"))["state"]!["id"]!.GetValue<string>();
        var taskRunId = PrefectApi.IdOf(await api.CreateTaskRunAsync(runId));

        (await api.DeleteAsync($"flow_runs/{runId}")).Expect(HttpStatusCode.NoContent);

        (await api.GetAsync($"flow_runs/{runId}")).Expect(HttpStatusCode.NotFound);
        (await api.GetAsync($"flow_run_states/{stateId}")).Expect(HttpStatusCode.NotFound);
        (await api.GetAsync($"task_runs/{taskRunId}")).Expect(HttpStatusCode.NotFound);
        Assert.Empty((await api.GetAsync($"flow_run_states/?flow_run_id={runId}")).Expect(HttpStatusCode.OK).Array);
        Assert.Equal(0, await api.CountAsync("task_runs", new { flow_runs = new { id = new { any_ = new[] { runId } } } }));
        (await api.DeleteAsync($"flow_runs/{runId}")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Graph_RunWithTasks_ListsEachTaskRunOnce()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var runId = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync(Unique("graph"))));
        var tasks = new[] { PrefectApi.IdOf(await api.CreateTaskRunAsync(runId, dynamicKey: "0")), PrefectApi.IdOf(await api.CreateTaskRunAsync(runId, dynamicKey: "1")) };

        var graph = (await api.GetAsync($"flow_runs/{runId}/graph")).Expect(HttpStatusCode.OK).Array;

        Assert.Equal(tasks.Order(), graph.Select(n => Guid.Parse(n!["id"]!.GetValue<string>())).Order());
    }

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}";
}
