using System.Net;
using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Persistence;

/// <summary>Everything the API wrote is there after the server stops and a new one starts on the same SQLite file.</summary>
public sealed class RestartTests
{
    // Derived from the clock at read time, so they legitimately differ between two reads.
    private static readonly string[] Volatile = ["estimated_run_time", "estimated_start_time_delta"];

    [Fact]
    public async Task Restart_SameSqliteFile_KeepsFlowsRunsStatesAndLimits()
    {
        await using var server = await TestServer.StartAsync(DatabaseKind.Sqlite);
        var api = server.Api;
        var flowId = await api.CreateFlowAsync("survivor", "kept");
        var flowRun = await api.CreateFlowRunAsync(flowId, "durable-run", tags: ["kept"], idempotencyKey: "once");
        var flowRunId = PrefectApi.IdOf(flowRun);
        await api.AcceptStateAsync("flow_runs", flowRunId, "RUNNING");
        var taskRunId = PrefectApi.IdOf(await api.CreateTaskRunAsync(flowRunId, tags: ["restart-db"]));
        (await api.PostAsync("concurrency_limits/", new { tag = "restart-db", concurrency_limit = 1 })).Expect(HttpStatusCode.OK);
        await api.AcceptStateAsync("task_runs", taskRunId, "RUNNING");
        var before = await ReadAllAsync(api, flowId, flowRunId, taskRunId);

        await server.RestartAsync();
        api = server.Api;

        Assert.Equal(before, await ReadAllAsync(api, flowId, flowRunId, taskRunId));
        // The restarted server carries on from the stored state: the slot is still held, the key still deduplicates.
        var again = (await api.PostAsync("flow_runs/", new { flow_id = flowId, idempotency_key = "once" })).Expect(HttpStatusCode.OK);
        Assert.Equal(flowRunId, again.Id);
        await api.AcceptStateAsync("task_runs", taskRunId, "COMPLETED");
        await api.AcceptStateAsync("flow_runs", flowRunId, "COMPLETED");
        Assert.Equal("[]", (await api.GetAsync("concurrency_limits/tag/restart-db")).Object["active_slots"]!.ToJsonString());
        Assert.Equal(3, (await api.GetAsync($"flow_run_states/?flow_run_id={flowRunId}")).Array.Count);
    }

    private static async Task<string> ReadAllAsync(PrefectApi api, Guid flowId, Guid flowRunId, Guid taskRunId)
    {
        var reads = new[]
        {
            await api.GetAsync($"flows/{flowId}"),
            await api.GetAsync($"flow_runs/{flowRunId}"),
            await api.GetAsync($"task_runs/{taskRunId}"),
            await api.GetAsync($"flow_run_states/?flow_run_id={flowRunId}"),
            await api.GetAsync($"task_run_states/?task_run_id={taskRunId}"),
            await api.GetAsync("concurrency_limits/tag/restart-db"),
        };
        return string.Join("\n", reads.Select(r => Stable(r.Expect(HttpStatusCode.OK).Body!).ToJsonString()));
    }

    private static JsonNode Stable(JsonNode node)
    {
        if (node is JsonObject obj)
        {
            foreach (var name in Volatile)
            {
                obj.Remove(name);
            }
        }

        return node;
    }
}
