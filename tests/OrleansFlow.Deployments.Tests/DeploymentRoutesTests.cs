using System.Net;

namespace OrleansFlow.Deployments.Tests;

public sealed class DeploymentRoutesTests
{
    private static readonly object Schema = new
    {
        title = "Parameters",
        type = "object",
        required = new[] { "x" },
        properties = new { x = new { type = "integer" }, y = new { type = "integer", @default = 2 } },
    };

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Create_SameFlowAndNameTwice_UpsertsKeepingTheId(DatabaseKind database)
    {
        await using var server = await Server.StartAsync(database);
        var flow = await server.PostOkAsync("flows/", new { name = "upsert-flow" });
        var flowId = flow["id"]!.GetValue<string>();
        var (firstStatus, first) = await server.SendAsync(HttpMethod.Post, "deployments/", new { name = "d", flow_id = flowId, tags = new[] { "a" } });
        var (secondStatus, second) = await server.SendAsync(HttpMethod.Post, "deployments/", new { name = "d", flow_id = flowId, tags = new[] { "b" }, description = "again" });

        Assert.Equal(HttpStatusCode.Created, firstStatus);
        Assert.Equal(HttpStatusCode.OK, secondStatus);
        Assert.Equal(first!["id"]!.GetValue<string>(), second!["id"]!.GetValue<string>());
        var byName = await server.GetOkAsync("deployments/name/upsert-flow/d");
        Assert.Equal("again", byName["description"]!.GetValue<string>());
        Assert.Equal("b", byName["tags"]![0]!.GetValue<string>());
        Assert.Equal("default-agent-pool", byName["work_pool_name"]!.GetValue<string>());
        Assert.Equal("default", byName["work_queue_name"]!.GetValue<string>());
        Assert.Equal(1, (await server.PostOkAsync("deployments/count", new { deployments = new { tags = new { all_ = new[] { "b" } } } })).GetValue<long>());
        Assert.Equal(0, (await server.PostOkAsync("deployments/count", new { deployments = new { tags = new { all_ = new[] { "a" } } } })).GetValue<long>());
        Assert.Single((await server.PostOkAsync("deployments/filter", new { flows = new { name = new { any_ = new[] { "upsert-flow" } } } })).AsArray());

        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Get, "deployments/name/upsert-flow/nope")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await server.SendAsync(HttpMethod.Post, "deployments/", new { name = "d", flow_id = Guid.NewGuid() })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Post, "deployments/", new { name = "d", flow_id = flowId, work_pool_name = "missing" })).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await server.SendAsync(HttpMethod.Post, "deployments/", new { name = "d", flow_id = flowId, schedule = new { cron = "bad" } })).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Delete, $"deployments/{first["id"]}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Get, $"deployments/{first["id"]}")).Status);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task CreateFlowRun_MergedParameters_RunCarriesDeploymentPlacement(DatabaseKind database)
    {
        await using var server = await Server.StartAsync(database);
        var deployment = await server.CreateDeploymentAsync("placed", "q1", parameterSchema: Schema, parameters: new { x = 1, y = 2 });
        var run = await server.PostOkAsync($"deployments/{deployment}/create_flow_run", new { parameters = new { y = 5 }, tags = new[] { "extra" } });

        Assert.Equal("SCHEDULED", run["state_type"]!.GetValue<string>());
        Assert.Equal("Scheduled", run["state_name"]!.GetValue<string>());
        Assert.Equal(deployment, run["deployment_id"]!.GetValue<string>());
        Assert.Equal(1, run["parameters"]!["x"]!.GetValue<int>());
        Assert.Equal(5, run["parameters"]!["y"]!.GetValue<int>());
        Assert.Equal("q1", run["work_queue_name"]!.GetValue<string>());
        Assert.Equal("placed", run["work_pool_name"]!.GetValue<string>());
        var queue = await server.GetOkAsync("work_pools/placed/queues/q1");
        Assert.Equal(queue["id"]!.GetValue<string>(), run["work_queue_id"]!.GetValue<string>());
        Assert.Contains("extra", run["tags"]!.AsArray().Select(t => t!.GetValue<string>()));

        var filtered = await server.PostOkAsync("flow_runs/filter", new { work_pool_queues = new { name = new { any_ = new[] { "q1" } } } });
        Assert.Equal([run["id"]!.GetValue<string>()], Server.Ids(filtered));
        var none = await server.PostOkAsync("flow_runs/filter", new { work_pools = new { name = new { any_ = new[] { "other" } } } });
        Assert.Empty(none.AsArray());
        var check = await server.GetOkAsync($"deployments/{deployment}/work_queue_check");
        Assert.Equal("q1", check[0]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task CreateFlowRun_ParameterNotFittingSchema_422NamingItAndNothingCreated(DatabaseKind database)
    {
        await using var server = await Server.StartAsync(database);
        var deployment = await server.CreateDeploymentAsync("strict", parameterSchema: Schema);

        var (status, body) = await server.SendAsync(HttpMethod.Post, $"deployments/{deployment}/create_flow_run", new { parameters = new { x = "one" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("[\"body\",\"parameters\",\"x\"]", body!["exception_detail"]![0]!["loc"]!.ToJsonString());

        (status, body) = await server.SendAsync(HttpMethod.Post, $"deployments/{deployment}/create_flow_run", new { parameters = new { y = 3 } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("[\"body\",\"parameters\",\"x\"]", body!["exception_detail"]![0]!["loc"]!.ToJsonString());

        Assert.Empty((await server.PostOkAsync("flow_runs/filter", new { deployments = new { id = new { any_ = new[] { deployment } } } })).AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Post, $"deployments/{Guid.NewGuid()}/create_flow_run", new { })).Status);
    }
}
