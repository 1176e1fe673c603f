using System.Net;
using OrleansFlow.Testing;

namespace OrleansFlow.Silo.Tests.Concurrency;

/// <summary>Two real <c>orleansflow server start</c> processes on one PostgreSQL database, as two pods of a cluster.</summary>
public sealed class TwoServerProcessTests
{
    [Fact]
    public async Task SetState_ConcurrentPendingProposalsOnTwoServerProcesses_ExactlyOneIsAccepted()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        // Both start (and migrate) at once, as pods of a rollout do.
        var started = await Task.WhenAll(ServerProcess.StartAsync(database.Url), ServerProcess.StartAsync(database.Url));
        await using var first = started[0];
        await using var second = started[1];
        using var a = first.CreateClient();
        using var b = second.CreateClient();
        var flowId = await Api.CreateFlowAsync(a, "two-servers");

        for (var round = 0; round < 4; round++)
        {
            var runId = await Api.CreateScheduledFlowRunAsync(a, flowId, $"contested-{round}");
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var proposals = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
            {
                await gate.Task;
                return await Api.SetFlowRunStateAsync(i % 2 == 0 ? a : b, runId, "PENDING");
            })).ToArray();
            gate.SetResult();
            var results = await Task.WhenAll(proposals);

            var accepted = Assert.Single(results, r => r.Status == "ACCEPT");
            Assert.Equal(HttpStatusCode.Created, accepted.Http);
            Assert.All(results.Where(r => r.Status != "ACCEPT"), r => Assert.Equal(("ABORT", HttpStatusCode.OK), (r.Status, r.Http)));
            var history = await Api.GetAsync(b, $"flow_run_states/?flow_run_id={runId}");
            Assert.Equal(["SCHEDULED", "PENDING"], history.EnumerateArray().Select(s => s.GetProperty("type").GetString()));
            Assert.Equal("PENDING", (await Api.GetAsync(a, $"flow_runs/{runId}")).GetProperty("state").GetProperty("type").GetString());
        }

        Assert.False(first.HasExited, first.Output);
        Assert.False(second.HasExited, second.Output);
    }
}
