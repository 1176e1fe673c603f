using System.Net;
using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Events;

/// <summary>The deployment and worker-heartbeat events the server emits, read back through <c>/api/events/filter</c>
/// over HTTP, on both databases.</summary>
public sealed class DeploymentEventRoutesTests(ServerPool servers) : IClassFixture<ServerPool>
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task DeploymentCreatePatchPauseResumeDelete_EmitsPrefectDeploymentEvents(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowName = Unique("deployed");
        var flowId = await api.CreateFlowAsync(flowName);
        var pool = Unique("pool");
        var poolId = (await api.PostAsync("work_pools/", new { name = pool, type = "process" })).Expect(HttpStatusCode.Created).Id;
        var id = (await api.PostAsync("deployments/", new { name = "nightly", flow_id = flowId, work_pool_name = pool, work_queue_name = "gpu" }))
            .Expect(HttpStatusCode.Created).Id;

        (await api.PatchAsync($"deployments/{id}", new { description = "the nightly load" })).Expect(HttpStatusCode.NoContent);
        (await api.PostAsync($"deployments/{id}/pause_deployment")).Expect(HttpStatusCode.OK);
        (await api.PostAsync($"deployments/{id}/resume_deployment")).Expect(HttpStatusCode.OK);
        (await api.DeleteAsync($"deployments/{id}")).Expect(HttpStatusCode.NoContent);

        var events = await EventsOfAsync(api, $"prefect.deployment.{id}");
        Assert.Equal(["prefect.deployment.created", "prefect.deployment.updated", "prefect.deployment.updated", "prefect.deployment.updated",
            "prefect.deployment.deleted"], events.Select(e => e["event"]!.GetValue<string>()));
        Assert.All(events, e =>
        {
            Assert.Equal("nightly", e["resource"]!["prefect.resource.name"]!.GetValue<string>());
            var related = e["related"]!.AsArray().Select(r => r!.AsObject()).ToDictionary(r => r["prefect.resource.role"]!.GetValue<string>());
            Assert.Equal(($"prefect.flow.{flowId}", flowName), (related["flow"]["prefect.resource.id"]!.GetValue<string>(), related["flow"]["prefect.resource.name"]!.GetValue<string>()));
            Assert.Equal("gpu", related["work-queue"]["prefect.resource.name"]!.GetValue<string>());
            Assert.Equal(($"prefect.work-pool.{poolId}", "process"),
                (related["work-pool"]["prefect.resource.id"]!.GetValue<string>(), related["work-pool"]["prefect.work-pool.type"]!.GetValue<string>()));
        });
        Assert.Equal(["description"], events[1]["payload"]!["updated_fields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal("the nightly load", events[1]["payload"]!["updates"]!["description"]!["to"]!.GetValue<string>());
        Assert.True(events[2]["payload"]!["updates"]!["paused"]!["to"]!.GetValue<bool>());
        Assert.False(events[3]["payload"]!["updates"]!["paused"]!["to"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task WorkerPollAndHeartbeat_EmitDeploymentReadyAndWorkerHeartbeat(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowId = await api.CreateFlowAsync(Unique("polled"));
        var pool = Unique("pool");
        var poolId = (await api.PostAsync("work_pools/", new { name = pool, type = "process" })).Expect(HttpStatusCode.Created).Id;
        var id = (await api.PostAsync("deployments/", new { name = "served", flow_id = flowId, work_pool_name = pool })).Expect(HttpStatusCode.Created).Id;

        var worker = $"Worker {Guid.NewGuid():N}";
        (await api.PostAsync($"work_pools/{pool}/workers/heartbeat", new { name = worker, heartbeat_interval_seconds = 15 })).Expect(HttpStatusCode.NoContent);
        (await api.PostAsync($"work_pools/{pool}/get_scheduled_flow_runs", new { })).Expect(HttpStatusCode.OK);
        (await api.PostAsync($"work_pools/{pool}/get_scheduled_flow_runs", new { })).Expect(HttpStatusCode.OK);

        Assert.Equal(["prefect.deployment.created", "prefect.deployment.ready"],
            (await EventsOfAsync(api, $"prefect.deployment.{id}")).Select(e => e["event"]!.GetValue<string>()));
        var beat = Assert.Single(await EventsOfAsync(api, $"prefect.worker.process.{worker.ToLowerInvariant().Replace(' ', '-')}"));
        Assert.Equal("prefect.worker.heartbeat", beat["event"]!.GetValue<string>());
        Assert.Equal(worker, beat["resource"]!["prefect.resource.name"]!.GetValue<string>());
        Assert.Equal("process", beat["resource"]!["prefect.worker-type"]!.GetValue<string>());
        Assert.Equal($"prefect.work-pool.{poolId}", beat["related"]![0]!["prefect.resource.id"]!.GetValue<string>());
        Assert.Equal("work-pool", beat["related"]![0]!["prefect.resource.role"]!.GetValue<string>());
        Assert.Equal(15, beat["payload"]!["heartbeat_interval_seconds"]!.GetValue<int>());
    }

    private static async Task<List<JsonObject>> EventsOfAsync(PrefectApi api, string resourceId) =>
        [.. (await api.PostAsync("events/filter", new { filter = new { resource = new { id = new[] { resourceId } }, order = "ASC" } }))
            .Expect(HttpStatusCode.OK).Object["events"]!.AsArray().Select(e => e!.AsObject())];

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}";
}
