using System.Net;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.TaskRuns;

/// <summary><c>POST /api/task_runs/begin</c>, the SDK's create-then-propose in one round trip (an OrleansFlow extension).</summary>
public sealed class TaskRunBeginTests(ServerPool servers) : IClassFixture<ServerPool>
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Begin_CreatesThenProposesRunning_TheRulesApplyAsForSetState(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowRunId = await NewFlowRunAsync(api);
        var tag = $"begin-{Guid.NewGuid():N}";
        (await api.PostAsync("concurrency_limits/", new { tag, concurrency_limit = 1 })).Expect(HttpStatusCode.OK);

        var first = (await api.PostAsync("task_runs/begin", Body(flowRunId, "0", tag))).Expect(HttpStatusCode.Created).Object;
        var second = (await api.PostAsync("task_runs/begin", Body(flowRunId, "1", tag))).Expect(HttpStatusCode.Created).Object;

        Assert.Equal("ACCEPT", first["orchestration_result"]!["status"]!.GetValue<string>());
        Assert.Equal("RUNNING", first["task_run"]!["state_type"]!.GetValue<string>());
        Assert.Equal(1, first["task_run"]!["run_count"]!.GetValue<int>());
        // The tag's only slot is taken: the second run is created PENDING and told to WAIT, as set_state would.
        Assert.Equal("WAIT", second["orchestration_result"]!["status"]!.GetValue<string>());
        Assert.Equal("PENDING", second["task_run"]!["state_type"]!.GetValue<string>());
        var states = (await api.GetAsync($"task_run_states/?task_run_id={second["task_run"]!["id"]!.GetValue<string>()}")).Expect(HttpStatusCode.OK);
        Assert.Single(states.Array);

        // Beginning the same task run again finds it: no second run, and RUNNING over RUNNING is not applied twice.
        var again = (await api.PostAsync("task_runs/begin", Body(flowRunId, "0", tag))).Object;
        Assert.Equal(first["task_run"]!["id"]!.GetValue<string>(), again["task_run"]!["id"]!.GetValue<string>());
        Assert.Equal(2, await api.CountAsync("task_runs", new { flow_runs = new { id = new { any_ = new[] { flowRunId } } } }));
    }

    [Fact]
    public async Task Begin_BadBody_422NamesTheNestedField()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);

        var missingRun = (await api.PostAsync("task_runs/begin", new { state = new { type = "RUNNING" } })).Expect(HttpStatusCode.UnprocessableEntity);
        var missingKey = (await api.PostAsync("task_runs/begin", new
        {
            task_run = new { flow_run_id = Guid.NewGuid(), dynamic_key = "0" },
            state = new { type = "RUNNING" },
        })).Expect(HttpStatusCode.UnprocessableEntity);
        var missingState = (await api.PostAsync("task_runs/begin", new
        {
            task_run = new { flow_run_id = Guid.NewGuid(), task_key = "k", dynamic_key = "0" },
        })).Expect(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("task_run", missingRun.Text, StringComparison.Ordinal);
        Assert.Contains("task_key", missingKey.Text, StringComparison.Ordinal);
        Assert.Contains("\"state\"", missingState.Text, StringComparison.Ordinal);
    }

    private static object Body(Guid flowRunId, string dynamicKey, string tag) => new
    {
        task_run = new { flow_run_id = flowRunId, task_key = "etl.extract", dynamic_key = dynamicKey, tags = new[] { tag }, state = new { type = "PENDING" } },
        state = new { type = "RUNNING", name = "Running" },
    };

    private static async Task<Guid> NewFlowRunAsync(PrefectApi api)
    {
        var runId = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync($"begin-{Guid.NewGuid():N}")));
        await api.AcceptStateAsync("flow_runs", runId, "RUNNING");
        return runId;
    }
}
