using System.Net;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.ConcurrencyLimits;

/// <summary><c>/api/concurrency_limits</c> (tag limits) and the slots task runs take and give back.</summary>
public sealed class ConcurrencyLimitRoutesTests(ServerPool servers) : IClassFixture<ServerPool>
{
    [Fact]
    public async Task Create_SameTagTwice_Answers200AndUpdatesTheOneLimit()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var tag = Unique("db");

        var first = (await api.PostAsync("concurrency_limits/", new { tag, concurrency_limit = 2 })).Expect(HttpStatusCode.OK).Object;
        var second = (await api.PostAsync("concurrency_limits/", new { tag, concurrency_limit = 5 })).Expect(HttpStatusCode.OK).Object;

        Assert.Equal(PrefectApi.IdOf(first), PrefectApi.IdOf(second));
        Assert.Equal(5, second["concurrency_limit"]!.GetValue<int>());
        Assert.Equal("[]", first["active_slots"]!.ToJsonString());
        var byTag = (await api.GetAsync($"concurrency_limits/tag/{tag}")).Expect(HttpStatusCode.OK).Object;
        var byId = (await api.GetAsync($"concurrency_limits/{PrefectApi.IdOf(first)}")).Expect(HttpStatusCode.OK).Object;
        Assert.Equal(5, byTag["concurrency_limit"]!.GetValue<int>());
        Assert.Equal(tag, byId["tag"]!.GetValue<string>());
        foreach (var field in new[] { "id", "created", "updated", "tag", "concurrency_limit", "active_slots" })
        {
            Assert.True(byTag.ContainsKey(field), $"limit lacks '{field}': {byTag.ToJsonString()}");
        }
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task SetState_TaggedTaskRunsBeyondTheLimit_WaitUntilASlotIsReleased(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var tag = Unique("slots");
        (await api.PostAsync("concurrency_limits/", new { tag, concurrency_limit = 1 })).Expect(HttpStatusCode.OK);
        var flowRunId = await NewFlowRunAsync(api);
        var holder = PrefectApi.IdOf(await api.CreateTaskRunAsync(flowRunId, dynamicKey: "0", tags: [tag]));
        var waiter = PrefectApi.IdOf(await api.CreateTaskRunAsync(flowRunId, dynamicKey: "1", tags: [tag]));

        await api.AcceptStateAsync("task_runs", holder, "RUNNING");
        var wait = (await api.SetStateAsync("task_runs", waiter, "RUNNING")).Expect(HttpStatusCode.OK).Object;
        var held = await SlotsAsync(api, tag);
        await api.AcceptStateAsync("task_runs", holder, "COMPLETED");
        var released = await SlotsAsync(api, tag);
        await api.AcceptStateAsync("task_runs", waiter, "RUNNING");

        Assert.Equal("WAIT", wait["status"]!.GetValue<string>());
        Assert.Equal(30, wait["details"]!["delay_seconds"]!.GetValue<double>());
        Assert.Equal($"Concurrency limit for the {tag} tag has been reached", wait["details"]!["reason"]!.GetValue<string>());
        Assert.Equal("PENDING", wait["state"]!["type"]!.GetValue<string>());
        Assert.Equal([holder], held);
        Assert.Empty(released);
        Assert.Equal([waiter], await SlotsAsync(api, tag));
    }

    [Fact]
    public async Task SetState_TagWithZeroLimit_Aborts()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var tag = Unique("zero");
        (await api.PostAsync("concurrency_limits/", new { tag, concurrency_limit = 0 })).Expect(HttpStatusCode.OK);
        var taskRunId = PrefectApi.IdOf(await api.CreateTaskRunAsync(await NewFlowRunAsync(api), tags: [tag]));

        var result = (await api.SetStateAsync("task_runs", taskRunId, "RUNNING")).Expect(HttpStatusCode.OK).Object;

        Assert.Equal("ABORT", result["status"]!.GetValue<string>());
        Assert.Equal("PENDING", (await api.GetAsync($"task_runs/{taskRunId}")).Object["state_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reset_WithAndWithoutSlotOverride_ReplacesTheActiveSlots()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var tag = Unique("reset");
        (await api.PostAsync("concurrency_limits/", new { tag, concurrency_limit = 3 })).Expect(HttpStatusCode.OK);
        var holder = Guid.NewGuid();

        (await api.PostAsync($"concurrency_limits/tag/{tag}/reset", new { slot_override = new[] { holder } })).Expect(HttpStatusCode.OK);
        var overridden = await SlotsAsync(api, tag);
        (await api.PostAsync($"concurrency_limits/tag/{tag}/reset")).Expect(HttpStatusCode.OK);

        Assert.Equal([holder], overridden);
        Assert.Empty(await SlotsAsync(api, tag));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Delete_ByTagAndById_RemovesTheLimit(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var byTag = Unique("gone-by-tag");
        var byId = Unique("gone-by-id");
        (await api.PostAsync("concurrency_limits/", new { tag = byTag, concurrency_limit = 1 })).Expect(HttpStatusCode.OK);
        var id = (await api.PostAsync("concurrency_limits/", new { tag = byId, concurrency_limit = 1 })).Expect(HttpStatusCode.OK).Id;

        (await api.DeleteAsync($"concurrency_limits/tag/{byTag}")).Expect(HttpStatusCode.OK);
        (await api.DeleteAsync($"concurrency_limits/{id}")).Expect(HttpStatusCode.OK);

        (await api.GetAsync($"concurrency_limits/tag/{byTag}")).Expect(HttpStatusCode.NotFound);
        (await api.GetAsync($"concurrency_limits/{id}")).Expect(HttpStatusCode.NotFound);
        (await api.DeleteAsync($"concurrency_limits/tag/{byTag}")).Expect(HttpStatusCode.NotFound);
        (await api.DeleteAsync($"concurrency_limits/{id}")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Filter_WithPaging_ListsEveryLimitOnce()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var tags = new[] { Unique("list-a"), Unique("list-b"), Unique("list-c") };
        foreach (var tag in tags)
        {
            (await api.PostAsync("concurrency_limits/", new { tag, concurrency_limit = 1 })).Expect(HttpStatusCode.OK);
        }

        var all = (await api.PostAsync("concurrency_limits/filter", new { })).Expect(HttpStatusCode.OK).Array;
        var pages = new List<string>();
        for (var offset = 0; offset < all.Count; offset += 2)
        {
            pages.AddRange((await api.PostAsync("concurrency_limits/filter", new { limit = 2, offset })).Expect(HttpStatusCode.OK).Array
                .Select(l => l!["tag"]!.GetValue<string>()));
        }

        Assert.Subset(all.Select(l => l!["tag"]!.GetValue<string>()).ToHashSet(), tags.ToHashSet());
        Assert.Equal(all.Select(l => l!["tag"]!.GetValue<string>()), pages);
    }

    private static async Task<List<Guid>> SlotsAsync(PrefectApi api, string tag) =>
        [.. (await api.GetAsync($"concurrency_limits/tag/{tag}")).Expect(HttpStatusCode.OK).Object["active_slots"]!.AsArray()
            .Select(s => Guid.Parse(s!.GetValue<string>()))];

    private static async Task<Guid> NewFlowRunAsync(PrefectApi api)
    {
        var runId = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync(Unique("limited"))));
        await api.AcceptStateAsync("flow_runs", runId, "RUNNING");
        return runId;
    }

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}";
}
