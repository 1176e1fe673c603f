using System.Net;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Compatibility;

/// <summary>Prefect 2.15+ clients put a fresh <c>state_details.transition_id</c> in every <c>set_state</c> and send the same
/// body again when the answer is lost: the second copy is refused as a duplicate with the state the first one wrote.</summary>
public sealed class TransitionIdTests(ServerPool servers) : IClassFixture<ServerPool>
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite, "flow_runs")]
    [InlineData(DatabaseKind.Postgres, "flow_runs")]
    [InlineData(DatabaseKind.Sqlite, "task_runs")]
    [InlineData(DatabaseKind.Postgres, "task_runs")]
    public async Task SetState_SentTwiceWithOneTransitionId_IsAppliedOnce(DatabaseKind database, string runs)
    {
        var api = await servers.ApiAsync(database);
        var flowRun = await api.CreateFlowRunAsync(await api.CreateFlowAsync("transition-" + Guid.NewGuid().ToString("N")[..8]));
        var flowRunId = PrefectApi.IdOf(flowRun);
        var id = runs == "flow_runs" ? flowRunId : PrefectApi.IdOf(await api.CreateTaskRunAsync(flowRunId));
        if (runs == "task_runs")
        {
            await api.AcceptStateAsync("flow_runs", flowRunId, "RUNNING");
        }

        var running = Guid.NewGuid().ToString();
        var completed = Guid.NewGuid().ToString();

        // The 2.20 client's body: the state in full, with its transition id among the details.
        object Body(string type, string transitionId) => new
        {
            state = new
            {
                type,
                name = (string?)null,
                message = (string?)null,
                data = new { type = "unpersisted" },
                state_details = new { flow_run_id = flowRunId, transition_id = transitionId, pause_reschedule = false, untrackable_result = false },
            },
            force = false,
        };

        var firstRunning = (await api.PostAsync($"{runs}/{id}/set_state", Body("RUNNING", running))).Expect(HttpStatusCode.Created).Object;
        var againRunning = (await api.PostAsync($"{runs}/{id}/set_state", Body("RUNNING", running))).Expect(HttpStatusCode.OK).Object;
        var firstCompleted = (await api.PostAsync($"{runs}/{id}/set_state", Body("COMPLETED", completed))).Expect(HttpStatusCode.Created).Object;
        var againCompleted = (await api.PostAsync($"{runs}/{id}/set_state", Body("COMPLETED", completed))).Expect(HttpStatusCode.OK).Object;

        Assert.Equal(["ACCEPT", "REJECT", "ACCEPT", "REJECT"],
            new[] { firstRunning, againRunning, firstCompleted, againCompleted }.Select(r => r["status"]!.GetValue<string>()));
        Assert.Equal("This run has already made this state transition.", againCompleted["details"]!["reason"]!.GetValue<string>());
        Assert.Equal(firstCompleted["state"]!["id"]!.GetValue<string>(), againCompleted["state"]!["id"]!.GetValue<string>());
        Assert.Equal(completed, againCompleted["state"]!["state_details"]!["transition_id"]!.GetValue<string>());

        var key = runs == "flow_runs" ? "flow_run_id" : "task_run_id";
        var history = (await api.GetAsync($"{runs[..^1]}_states/?{key}={id}")).Expect(HttpStatusCode.OK).Array;
        Assert.Equal(["PENDING", "RUNNING", "COMPLETED"], history.Select(s => s!["type"]!.GetValue<string>()));
        var run = (await api.GetAsync($"{runs}/{id}")).Expect(HttpStatusCode.OK).Object;
        Assert.Equal(1, run["run_count"]!.GetValue<int>());
    }
}
