using System.Net;

namespace OrleansFlow.Deployments.Tests;

public sealed class WorkPoolRoutesTests
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task PoolAndQueueCrud_AsPrefect_CreatesDefaultQueueAndKeepsChanges(DatabaseKind database)
    {
        await using var server = await Server.StartAsync(database);
        var template = new { job_configuration = new { command = "{{ command }}" }, variables = new { type = "object" } };
        var created = await server.PostOkAsync("work_pools/", new { name = "pool-a", type = "process", base_job_template = template });
        Assert.Equal("process", created["type"]!.GetValue<string>());
        Assert.Equal("{{ command }}", created["base_job_template"]!["job_configuration"]!["command"]!.GetValue<string>());
        Assert.Equal("NOT_READY", created["status"]!.GetValue<string>());
        var defaultQueueId = created["default_queue_id"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.Conflict, (await server.SendAsync(HttpMethod.Post, "work_pools/", new { name = "pool-a" })).Status);
        var defaultQueue = await server.GetOkAsync("work_pools/pool-a/queues/default");
        Assert.Equal(defaultQueueId, defaultQueue["id"]!.GetValue<string>());
        Assert.Equal(1, defaultQueue["priority"]!.GetValue<int>());

        var second = await server.PostOkAsync("work_pools/pool-a/queues", new { name = "high", concurrency_limit = 2 });
        Assert.Equal(2, second["priority"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Patch, "work_pools/pool-a/queues/high", new { priority = 5, is_paused = true })).Status);
        var patched = await server.GetOkAsync("work_pools/pool-a/queues/high");
        Assert.Equal(5, patched["priority"]!.GetValue<int>());
        Assert.Equal("PAUSED", patched["status"]!.GetValue<string>());
        Assert.Equal(2, patched["concurrency_limit"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Patch, "work_pools/pool-a", "{\"concurrency_limit\": 4, \"is_paused\": true}")).Status);
        var pool = await server.GetOkAsync("work_pools/pool-a");
        Assert.Equal(4, pool["concurrency_limit"]!.GetValue<int>());
        Assert.Equal("PAUSED", pool["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Patch, "work_pools/pool-a", "{\"concurrency_limit\": null, \"is_paused\": false}")).Status);
        pool = await server.GetOkAsync("work_pools/pool-a");
        Assert.Null(pool["concurrency_limit"]);

        var queues = await server.PostOkAsync("work_pools/pool-a/queues/filter", new { });
        Assert.Equal(["default", "high"], queues.AsArray().Select(q => q!["name"]!.GetValue<string>()));
        var pools = await server.PostOkAsync("work_pools/filter", new { work_pools = new { name = new { any_ = new[] { "pool-a" } } } });
        Assert.Single(pools.AsArray());

        Assert.Equal(HttpStatusCode.Conflict, (await server.SendAsync(HttpMethod.Delete, "work_pools/pool-a/queues/default")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Delete, "work_pools/pool-a/queues/high")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Get, "work_pools/pool-a/queues/high")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Delete, "work_pools/pool-a")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Get, "work_pools/pool-a")).Status);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Heartbeat_RecentThenSilent_PoolReadyThenNotReady(DatabaseKind database)
    {
        var clock = new Testing.ManualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await Server.StartAsync(database, clock);
        await server.PostOkAsync("work_pools/", new { name = "beats" });
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Post, "work_pools/beats/workers/heartbeat", new { name = "w1" })).Status);
        Assert.Equal("READY", (await server.GetOkAsync("work_pools/beats"))["status"]!.GetValue<string>());
        var workers = await server.PostOkAsync("work_pools/beats/workers/filter", new { });
        Assert.Equal("w1", workers[0]!["name"]!.GetValue<string>());
        Assert.Equal("ONLINE", workers[0]!["status"]!.GetValue<string>());

        clock.Advance(TimeSpan.FromSeconds(91));
        Assert.Equal("NOT_READY", (await server.GetOkAsync("work_pools/beats"))["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Post, "work_pools/nope/workers/heartbeat", new { name = "w1" })).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await server.SendAsync(HttpMethod.Post, "work_pools/beats/workers/heartbeat", new { })).Status);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task GetScheduledFlowRuns_PrioritiesAndLimits_HandsOutHighPriorityFirstWithinLimits(DatabaseKind database)
    {
        await using var server = await Server.StartAsync(database);
        var now = DateTimeOffset.UtcNow;
        var low = await server.CreateDeploymentAsync("prio", "low");
        var high = await server.CreateDeploymentAsync("prio", "high");
        await server.SendAsync(HttpMethod.Patch, "work_pools/prio/queues/low", new { priority = 10 });
        await server.SendAsync(HttpMethod.Patch, "work_pools/prio/queues/high", new { priority = 1, concurrency_limit = 2 });
        var lowRuns = new List<string>();
        var highRuns = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            lowRuns.Add(await server.CreateRunAsync(low, now.AddSeconds(-10 - i)));
            highRuns.Add(await server.CreateRunAsync(high, now.AddSeconds(-i)));
        }

        var future = await server.CreateRunAsync(high, now.AddHours(1));
        var first = await server.PostOkAsync("work_pools/prio/get_scheduled_flow_runs", new { scheduled_before = now.AddSeconds(5), limit = 3 });
        var ids = Server.Ids(first, "flow_run");
        Assert.Equal(3, ids.Count);
        Assert.All(ids.Take(2), id => Assert.Contains(id, highRuns));
        Assert.Contains(ids[2], lowRuns);
        Assert.DoesNotContain(future, ids);

        // The high queue's limit (2) is taken by the two claimed runs; the pool limit now caps what is left.
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendAsync(HttpMethod.Patch, "work_pools/prio", new { concurrency_limit = 4 })).Status);
        var second = await server.PostOkAsync("work_pools/prio/get_scheduled_flow_runs", new { scheduled_before = now.AddSeconds(5) });
        var more = Server.Ids(second, "flow_run");
        Assert.Single(more);
        Assert.Contains(more[0], lowRuns);
        var none = await server.PostOkAsync("work_pools/prio/get_scheduled_flow_runs", new { scheduled_before = now.AddSeconds(5) });
        Assert.Empty(none.AsArray());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task GetScheduledFlowRuns_PausedQueueOrPool_HandsOutNothing(DatabaseKind database)
    {
        await using var server = await Server.StartAsync(database);
        var deployment = await server.CreateDeploymentAsync("paused", "q");
        await server.CreateRunAsync(deployment, DateTimeOffset.UtcNow.AddSeconds(-5));
        await server.SendAsync(HttpMethod.Patch, "work_pools/paused/queues/q", new { is_paused = true });
        Assert.Empty((await server.PostOkAsync("work_pools/paused/get_scheduled_flow_runs", new { })).AsArray());

        await server.SendAsync(HttpMethod.Patch, "work_pools/paused/queues/q", new { is_paused = false });
        await server.SendAsync(HttpMethod.Patch, "work_pools/paused", new { is_paused = true });
        Assert.Empty((await server.PostOkAsync("work_pools/paused/get_scheduled_flow_runs", new { })).AsArray());

        await server.SendAsync(HttpMethod.Patch, "work_pools/paused", new { is_paused = false });
        Assert.Single((await server.PostOkAsync("work_pools/paused/get_scheduled_flow_runs", new { })).AsArray());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task LegacyWorkQueue_AgentPoll_ReturnsRunsOfTheQueueOnce(DatabaseKind database)
    {
        await using var server = await Server.StartAsync(database);
        var created = await server.PostOkAsync("work_queues/", new { name = "legacy" });
        Assert.Equal(1, created["priority"]!.GetValue<int>());
        var byName = await server.GetOkAsync("work_queues/name/legacy");
        var queueId = byName["id"]!.GetValue<string>();
        var deployment = await server.CreateDeploymentAsync(queue: "legacy");
        Assert.Equal("default-agent-pool", (await server.GetOkAsync($"deployments/{deployment}"))["work_pool_name"]!.GetValue<string>());
        var run = await server.CreateRunAsync(deployment);

        var runs = await server.PostOkAsync($"work_queues/{queueId}/get_runs", new { scheduled_before = DateTimeOffset.UtcNow.AddSeconds(10), limit = 10 });
        Assert.Equal([run], Server.Ids(runs));
        Assert.Empty((await server.PostOkAsync($"work_queues/{queueId}/get_runs", new { limit = 10 })).AsArray());
        var status = await server.GetOkAsync($"work_queues/{queueId}/status");
        Assert.True(status["healthy"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Get, $"work_queues/{Guid.NewGuid()}")).Status);
    }
}
