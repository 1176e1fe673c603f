using System.Net;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Flows;

/// <summary><c>/api/flows</c>: upsert by name, reads, tags, filters, counts, delete.</summary>
public sealed class FlowRoutesTests(ServerPool servers) : IClassFixture<ServerPool>
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Upsert_SameNameTwice_Answers201ThenSameFlowWith200(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var name = Unique("etl");

        var first = (await api.PostAsync("flows/", new { name, tags = new[] { "a" } })).Expect(HttpStatusCode.Created);
        var second = (await api.PostAsync("flows/", new { name, tags = new[] { "b" } })).Expect(HttpStatusCode.OK);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(name, second.Object["name"]!.GetValue<string>());
        Assert.Equal(1, await api.CountAsync("flows", new { flows = new { name = new { any_ = new[] { name } } } }));
        foreach (var field in new[] { "id", "created", "updated", "name", "tags" })
        {
            Assert.True(first.Object.ContainsKey(field), $"flow lacks '{field}': {first}");
        }
    }

    [Fact]
    public async Task Get_ByIdAndByName_ReturnsTheFlow()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var name = Unique("read me");
        var id = await api.CreateFlowAsync(name, "x");

        var byId = (await api.GetAsync($"flows/{id}")).Expect(HttpStatusCode.OK).Object;
        var byName = (await api.GetAsync($"flows/name/{Uri.EscapeDataString(name)}")).Expect(HttpStatusCode.OK).Object;

        Assert.Equal(name, byId["name"]!.GetValue<string>());
        Assert.Equal(id, PrefectApi.IdOf(byName));
        Assert.Equal("""["x"]""", byId["tags"]!.ToJsonString());
    }

    [Fact]
    public async Task Patch_Tags_ReplacesThem()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var id = await api.CreateFlowAsync(Unique("tagged"), "old");

        (await api.PatchAsync($"flows/{id}", new { tags = new[] { "new", "newer" } })).Expect(HttpStatusCode.NoContent);

        var flow = (await api.GetAsync($"flows/{id}")).Expect(HttpStatusCode.OK).Object;
        Assert.Equal("""["new","newer"]""", flow["tags"]!.ToJsonString());
    }

    [Fact]
    public async Task Filter_NameLikeTagsSortAndPaging_ReturnsTheMatchingPage()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var prefix = Unique("filterme");
        foreach (var (suffix, tag) in new[] { ("c", "keep"), ("a", "keep"), ("b", "keep"), ("d", "drop") })
        {
            await api.CreateFlowAsync($"{prefix}-{suffix}", tag);
        }

        var filter = new Dictionary<string, object>
        {
            ["flows"] = new { name = new { like_ = prefix }, tags = new { all_ = new[] { "keep" } } },
            ["sort"] = "NAME_DESC",
            ["limit"] = 2,
            ["offset"] = 1,
        };
        var page = (await api.PostAsync("flows/filter", filter)).Expect(HttpStatusCode.OK).Array;
        var count = await api.CountAsync("flows", new { flows = new { name = new { like_ = prefix }, tags = new { all_ = new[] { "keep" } } } });

        Assert.Equal([$"{prefix}-b", $"{prefix}-a"], page.Select(f => f!["name"]!.GetValue<string>()));
        Assert.Equal(3, count);
    }

    [Fact]
    public async Task Filter_ByFlowRunState_ReturnsFlowsWithSuchRuns()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var prefix = Unique("by-run-state");
        var running = await api.CreateFlowAsync($"{prefix}-running");
        var pending = await api.CreateFlowAsync($"{prefix}-pending");
        await api.AcceptStateAsync("flow_runs", PrefectApi.IdOf(await api.CreateFlowRunAsync(running)), "RUNNING");
        await api.CreateFlowRunAsync(pending);

        var ids = await api.FilterIdsAsync("flows", new
        {
            flows = new { name = new { like_ = prefix } },
            flow_runs = new { state = new { type = new { any_ = new[] { "RUNNING" } } } },
        });

        Assert.Equal([running], ids);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Delete_FlowWithRuns_RemovesTheFlowItsRunsAndTheirTaskRuns(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowId = await api.CreateFlowAsync(Unique("doomed"));
        var runId = PrefectApi.IdOf(await api.CreateFlowRunAsync(flowId));
        var taskRunId = PrefectApi.IdOf(await api.CreateTaskRunAsync(runId));

        (await api.DeleteAsync($"flows/{flowId}")).Expect(HttpStatusCode.NoContent);

        (await api.GetAsync($"flows/{flowId}")).Expect(HttpStatusCode.NotFound);
        // Prefect's flow_run.flow_id is ON DELETE CASCADE, and so is task_run.flow_run_id.
        Assert.Equal(0, await api.CountAsync("flow_runs", new { flows = new { id = new { any_ = new[] { flowId } } } }));
        (await api.GetAsync($"flow_runs/{runId}")).Expect(HttpStatusCode.NotFound);
        (await api.GetAsync($"task_runs/{taskRunId}")).Expect(HttpStatusCode.NotFound);
    }

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}";
}
