using System.Net;
using OrleansFlow.Gateway.Tests.Hardening;
using OrleansFlow.Gateway.Tests.Infrastructure;
using OrleansFlow.Testing;

namespace OrleansFlow.Gateway.Tests.Compatibility;

/// <summary>Prefect 2.11–2.15's <c>POST /work_pools/count</c>, <c>/block_documents/count</c> and <c>/flow_runs/lateness</c>.</summary>
public sealed class LaterCountRoutesTests(ServerPool servers) : IClassFixture<ServerPool>
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task WorkPoolsCount_ByFilter_CountsTheMatchingPools(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var names = Enumerable.Range(0, 3).Select(i => $"count-{i}-{Guid.NewGuid():N}"[..20]).ToArray();
        foreach (var name in names)
        {
            (await api.PostAsync("work_pools/", new { name, type = "process" })).Expect(HttpStatusCode.Created);
        }

        var two = (await api.PostAsync("work_pools/count", new { work_pools = new { name = new { any_ = names[..2] } } })).Expect(HttpStatusCode.OK);
        var all = (await api.PostAsync("work_pools/count", new { })).Expect(HttpStatusCode.OK);
        var bad = await api.PostAsync("work_pools/count", new { work_pools = new { name = new { nope_ = 1 } } });

        Assert.Equal(2, two.Body!.GetValue<long>());
        Assert.True(all.Body!.GetValue<long>() >= 3);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.Status);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task BlockDocumentsCount_ByFilter_CountsNamedDocumentsOfTheType(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var slug = "counted-" + Guid.NewGuid().ToString("N")[..8];
        var type = (await api.PostAsync("block_types/", new { name = slug, slug })).Expect(HttpStatusCode.Created).Id;
        var schema = (await api.PostAsync("block_schemas/", new { block_type_id = type, fields = new { title = slug, type = "object", properties = new { } } }))
            .Expect(HttpStatusCode.Created).Id;
        foreach (var name in new[] { "a", "b" })
        {
            (await api.PostAsync("block_documents/", new { name, block_type_id = type, block_schema_id = schema, data = new { } })).Expect(HttpStatusCode.Created);
        }

        (await api.PostAsync("block_documents/", new { block_type_id = type, block_schema_id = schema, data = new { }, is_anonymous = true })).Expect(HttpStatusCode.Created);

        var named = (await api.PostAsync("block_documents/count", new { block_types = new { slug = new { any_ = new[] { slug } } } })).Expect(HttpStatusCode.OK);
        var anonymous = (await api.PostAsync("block_documents/count", new
        {
            block_types = new { slug = new { any_ = new[] { slug } } },
            block_documents = new { is_anonymous = new { eq_ = true } },
        })).Expect(HttpStatusCode.OK);

        Assert.Equal(2, named.Body!.GetValue<long>());
        Assert.Equal(1, anonymous.Body!.GetValue<long>());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task FlowRunsLateness_StartedLateAndStillWaiting_AveragesTheirLateness(DatabaseKind database)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));
        await using var server = await OwnServer.StartAsync(database, clock);
        var api = server.Api;
        var flowId = await api.CreateFlowAsync("late");
        var deployment = (await api.PostAsync("deployments/", new { name = "late", flow_id = flowId })).Expect(HttpStatusCode.Created).Id;
        async Task<Guid> ScheduledAsync(DateTimeOffset at) => (await api.PostAsync($"deployments/{deployment}/create_flow_run", new
        {
            state = new { type = "SCHEDULED", state_details = new { scheduled_time = at } },
        })).Expect(HttpStatusCode.Created).Id;

        var startedLate = await ScheduledAsync(clock.GetUtcNow());
        var waiting = await ScheduledAsync(clock.GetUtcNow().AddSeconds(30));
        await ScheduledAsync(clock.GetUtcNow().AddHours(1));
        clock.Advance(TimeSpan.FromSeconds(60));
        (await api.SetStateAsync("flow_runs", startedLate, "PENDING")).Expect(HttpStatusCode.Created);
        (await api.SetStateAsync("flow_runs", startedLate, "RUNNING")).Expect(HttpStatusCode.Created);
        clock.Advance(TimeSpan.FromSeconds(60));

        var none = (await api.PostAsync("flow_runs/lateness", new { flow_runs = new { id = new { any_ = new[] { Guid.NewGuid() } } } })).Expect(HttpStatusCode.OK);
        var two = (await api.PostAsync("flow_runs/lateness", new { flow_runs = new { id = new { any_ = new[] { startedLate, waiting } } } })).Expect(HttpStatusCode.OK);
        var all = (await api.PostAsync("flow_runs/lateness", new { deployments = new { id = new { any_ = new[] { deployment } } } })).Expect(HttpStatusCode.OK);

        Assert.Null(none.Body);
        // Started 60 s late; still waiting 90 s past its start: 75 s on average. The future run counts 0: (60 + 90 + 0) / 3.
        Assert.Equal(75.0, two.Body!.GetValue<double>(), 3);
        Assert.Equal(50.0, all.Body!.GetValue<double>(), 3);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task WorkerHeartbeat_WithItsInterval_IsOfflineAfterThreeIntervals(DatabaseKind database)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));
        await using var server = await OwnServer.StartAsync(database, clock);
        var api = server.Api;
        (await api.PostAsync("work_pools/", new { name = "beats", type = "process" })).Expect(HttpStatusCode.Created);

        // A 2.20 worker's heartbeat body.
        (await api.PostAsync("work_pools/beats/workers/heartbeat", new { name = "fast", heartbeat_interval_seconds = 10 })).Expect(HttpStatusCode.NoContent);
        (await api.PostAsync("work_pools/beats/workers/heartbeat", new { name = "old" })).Expect(HttpStatusCode.NoContent);
        var bad = await api.PostAsync("work_pools/beats/workers/heartbeat", new { name = "x", heartbeat_interval_seconds = 0 });
        clock.Advance(TimeSpan.FromSeconds(45));
        // A later heartbeat without the interval keeps the one said before.
        (await api.PostAsync("work_pools/beats/workers/heartbeat", new { name = "again", heartbeat_interval_seconds = 10 })).Expect(HttpStatusCode.NoContent);
        (await api.PostAsync("work_pools/beats/workers/heartbeat", new { name = "again" })).Expect(HttpStatusCode.NoContent);
        var workers = (await api.PostAsync("work_pools/beats/workers/filter", new { })).Expect(HttpStatusCode.OK).Array
            .ToDictionary(w => w!["name"]!.GetValue<string>(), w => w!.AsObject());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.Status);
        Assert.Equal("OFFLINE", workers["fast"]["status"]!.GetValue<string>());
        Assert.Equal(10, workers["fast"]["heartbeat_interval_seconds"]!.GetValue<int>());
        Assert.Equal("ONLINE", workers["old"]["status"]!.GetValue<string>());
        Assert.Equal(10, workers["again"]["heartbeat_interval_seconds"]!.GetValue<int>());
    }
}
