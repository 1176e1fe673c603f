using System.Net;
using System.Text.Json.Serialization;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Events;

/// <summary><c>/api/events</c> over HTTP: what the server emits for run state changes, what clients send, and the
/// filter, paging and count-by queries, on both databases.</summary>
public sealed class EventRoutesTests(ServerPool servers) : IClassFixture<ServerPool>
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task FlowRunDrivenThroughStates_EmitsItsEventsInOrderWithLabelsRelatedAndFollows(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowName = Unique("evented");
        var flowId = await api.CreateFlowAsync(flowName);
        var run = await api.CreateFlowRunAsync(flowId, name: "loud-run", tags: ["prod"]);
        var runId = PrefectApi.IdOf(run);
        await api.AcceptStateAsync("flow_runs", runId, "RUNNING");
        var completed = await api.AcceptStateAsync("flow_runs", runId, "COMPLETED");
        var task = await api.CreateTaskRunAsync(runId);

        var page = (await api.PostAsync("events/filter", new { filter = new { any_resource = new { id = new[] { $"prefect.flow-run.{runId}" } }, order = "ASC" } }))
            .Expect(HttpStatusCode.OK).Object;
        var events = page["events"]!.AsArray().Select(e => e!.AsObject()).ToList();

        Assert.Equal(["prefect.flow-run.Pending", "prefect.flow-run.Running", "prefect.flow-run.Completed", "prefect.task-run.Pending"],
            events.Select(e => e["event"]!.GetValue<string>()));
        Assert.Equal(4, page["total"]!.GetValue<int>());
        Assert.Null(page["next_page"]);
        var last = events[2];
        Assert.Equal(completed["state"]!["id"]!.GetValue<string>(), last["id"]!.GetValue<string>());
        Assert.Equal(events[1]["id"]!.GetValue<string>(), last["follows"]!.GetValue<string>());
        var resource = last["resource"]!.AsObject();
        Assert.Equal($"prefect.flow-run.{runId}", resource["prefect.resource.id"]!.GetValue<string>());
        Assert.Equal("loud-run", resource["prefect.resource.name"]!.GetValue<string>());
        Assert.Equal("COMPLETED", resource["prefect.state-type"]!.GetValue<string>());
        Assert.Equal("Completed", resource["prefect.state-name"]!.GetValue<string>());
        var related = last["related"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.Contains(related, r => r["prefect.resource.id"]!.GetValue<string>() == $"prefect.flow.{flowId}"
            && r["prefect.resource.role"]!.GetValue<string>() == "flow" && r["prefect.resource.name"]!.GetValue<string>() == flowName);
        Assert.Contains(related, r => r["prefect.resource.id"]!.GetValue<string>() == "prefect.tag.prod" && r["prefect.resource.role"]!.GetValue<string>() == "tag");
        Assert.Equal("RUNNING", last["payload"]!["intended"]!["from"]!.GetValue<string>());
        Assert.Equal("COMPLETED", last["payload"]!["validated_state"]!["type"]!.GetValue<string>());
        Assert.NotNull(last["received"]);
        var taskEvent = events[3];
        Assert.Equal($"prefect.task-run.{PrefectApi.IdOf(task)}", taskEvent["resource"]!["prefect.resource.id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task PostedEvents_AreStoredOnceAndFoundByPrefixResourceRelatedLabelsAndTime(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var thing = Unique("acme.thing");
        var now = DateTimeOffset.UtcNow;
        var first = ClientEvent("acme.order.placed", thing, now.AddMinutes(-30), related: ("acme.customer.1", "customer"));
        var second = ClientEvent("acme.order.shipped", thing, now.AddMinutes(-10), related: ("acme.customer.2", "customer"));
        var old = ClientEvent("acme.order.placed", thing, now.AddDays(-2), related: ("acme.customer.1", "customer"));

        (await api.PostAsync("events", new[] { first, second, old })).Expect(HttpStatusCode.NoContent);
        (await api.PostAsync("events", new[] { first })).Expect(HttpStatusCode.NoContent);

        Assert.Equal(3, await TotalAsync(api, new { resource = new { id = new[] { thing } } }));
        Assert.Equal(2, await TotalAsync(api, new { resource = new { id = new[] { thing } }, @event = new { prefix = new[] { "acme.order.pl" } } }));
        Assert.Equal(1, await TotalAsync(api, new { resource = new { id = new[] { thing } }, @event = new { exclude_prefix = new[] { "acme.order.pl" } } }));
        Assert.Equal(1, await TotalAsync(api, new { resource = new { id = new[] { thing } }, @event = new { name = new[] { "acme.order.shipped" } } }));
        Assert.Equal(3, await TotalAsync(api, new { resource = new { id_prefix = new[] { thing[..^4] } }, any_resource = new { id = new[] { thing } } }));
        // any_resource matches the event's own resource (its columns) or a related one (its row), by id, prefix or labels.
        Assert.Equal(2, await TotalAsync(api, new { resource = new { id = new[] { thing } }, any_resource = new { id = new[] { "acme.customer.1" } } }));
        Assert.Equal(3, await TotalAsync(api, new { resource = new { id = new[] { thing } }, any_resource = new { id_prefix = new[] { "acme.customer." } } }));
        Assert.Equal(3, await TotalAsync(api, new { any_resource = new { id_prefix = new[] { thing }, labels = new Dictionary<string, object> { ["acme.size"] = "la*" } } }));
        Assert.Equal(3, await TotalAsync(api, new { resource = new { id = new[] { thing } }, any_resource = new { labels = new Dictionary<string, object> { ["prefect.resource.role"] = "customer" } } }));
        Assert.Equal(0, await TotalAsync(api, new { resource = new { id = new[] { thing } }, any_resource = new { id = new[] { "acme.customer.3" } } }));
        Assert.Equal(2, await TotalAsync(api, new { resource = new { id = new[] { thing } }, related = new { id = new[] { "acme.customer.1" }, role = new[] { "customer" } } }));
        Assert.Equal(0, await TotalAsync(api, new { resource = new { id = new[] { thing } }, related = new { id = new[] { "acme.customer.1" }, role = new[] { "tag" } } }));
        Assert.Equal(1, await TotalAsync(api, new { resource = new { id = new[] { thing } }, related = new { resources_in_roles = new[] { new[] { "acme.customer.2", "customer" } } } }));
        Assert.Equal(3, await TotalAsync(api, new { resource = new { labels = new Dictionary<string, object> { ["prefect.resource.id"] = thing, ["acme.size"] = "la*" } } }));
        Assert.Equal(0, await TotalAsync(api, new { resource = new { labels = new Dictionary<string, object> { ["prefect.resource.id"] = thing, ["acme.size"] = "!large" } } }));
        Assert.Equal(2, await TotalAsync(api, new { resource = new { id = new[] { thing } }, occurred = new { since = now.AddHours(-1) } }));
        Assert.Equal(1, await TotalAsync(api, new { resource = new { id = new[] { thing } }, occurred = new { since = now.AddHours(-1), until = now.AddMinutes(-20) } }));
        var newestFirst = (await api.PostAsync("events/filter", new { filter = new { resource = new { id = new[] { thing } } } })).Expect(HttpStatusCode.OK).Object;
        Assert.Equal(["acme.order.shipped", "acme.order.placed", "acme.order.placed"], newestFirst["events"]!.AsArray().Select(e => e!["event"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Filter_WithALimit_PagesThroughNextPageLinks(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var thing = Unique("acme.paged");
        var now = DateTimeOffset.UtcNow;
        (await api.PostAsync("events", Enumerable.Range(0, 7).Select(i => ClientEvent($"acme.tick.{i}", thing, now.AddMinutes(-10 + i))).ToArray()))
            .Expect(HttpStatusCode.NoContent);

        var names = new List<string>();
        var page = (await api.PostAsync("events/filter", new { filter = new { resource = new { id = new[] { thing } }, order = "ASC" }, limit = 3 })).Expect(HttpStatusCode.OK).Object;
        var pages = 1;
        while (true)
        {
            Assert.Equal(7, page["total"]!.GetValue<int>());
            names.AddRange(page["events"]!.AsArray().Select(e => e!["event"]!.GetValue<string>()));
            if (page["next_page"]?.GetValue<string>() is not { } next)
            {
                break;
            }

            page = (await api.GetAsync(next[(next.IndexOf("/api/", StringComparison.Ordinal) + 5)..])).Expect(HttpStatusCode.OK).Object;
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"acme.tick.{i}"), names);
        (await api.GetAsync("events/filter/next?page-token=not-a-token")).Expect(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task CountBy_EventResourceAndDay_CountsTheMatchingEvents(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var thing = Unique("acme.counted");
        var other = thing + ".other";
        var now = DateTimeOffset.UtcNow;
        (await api.PostAsync("events", new[]
        {
            ClientEvent("acme.a", thing, now.AddMinutes(-3)), ClientEvent("acme.a", thing, now.AddMinutes(-2)), ClientEvent("acme.b", other, now.AddMinutes(-1)),
        })).Expect(HttpStatusCode.NoContent);
        var filter = new { any_resource = new { id_prefix = new[] { thing } }, occurred = new { since = now.AddDays(-2), until = now } };

        var byEvent = (await api.PostAsync("events/count-by/event", new { filter })).Expect(HttpStatusCode.OK).Array;
        var byResource = (await api.PostAsync("events/count-by/resource", new { filter })).Expect(HttpStatusCode.OK).Array;
        var byDay = (await api.PostAsync("events/count-by/day", new { filter })).Expect(HttpStatusCode.OK).Array;
        var byHour = (await api.PostAsync("events/count-by/time", new { filter, time_unit = "hour", time_interval = 1 })).Expect(HttpStatusCode.OK).Array;

        Assert.Equal([("acme.a", 2L), ("acme.b", 1L)], byEvent.Select(c => (c!["value"]!.GetValue<string>(), c["count"]!.GetValue<long>())));
        Assert.Equal([(thing, 2L), (other, 1L)], byResource.Select(c => (c!["value"]!.GetValue<string>(), c["count"]!.GetValue<long>())));
        Assert.Equal(3, byDay.Sum(c => c!["count"]!.GetValue<long>()));
        Assert.InRange(byDay.Count, 2, 3);
        Assert.InRange(byHour.Count, 48, 49);
        Assert.Equal(3, byHour.Sum(c => c!["count"]!.GetValue<long>()));
        Assert.Equal("0", byHour[0]!["value"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task WorkPoolAndQueueStatusChanges_EmitStatusEvents(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var pool = Unique("pool");
        var poolId = (await api.PostAsync("work_pools/", new { name = pool, type = "process" })).Expect(HttpStatusCode.Created).Id;
        var queueId = (await api.PostAsync($"work_pools/{pool}/queues", new { name = "q" })).Expect(HttpStatusCode.Created).Id;

        (await api.PostAsync($"work_pools/{pool}/workers/heartbeat", new { name = "w1" })).Expect(HttpStatusCode.NoContent);
        (await api.PostAsync($"work_pools/{pool}/workers/heartbeat", new { name = "w1" })).Expect(HttpStatusCode.NoContent);
        (await api.PatchAsync($"work_pools/{pool}", new { is_paused = true })).Expect(HttpStatusCode.NoContent);
        (await api.PatchAsync($"work_pools/{pool}", new { is_paused = false })).Expect(HttpStatusCode.NoContent);
        (await api.PatchAsync($"work_pools/{pool}/queues/q", new { is_paused = true })).Expect(HttpStatusCode.NoContent);

        var poolEvents = (await api.PostAsync("events/filter", new { filter = new { resource = new { id = new[] { $"prefect.work-pool.{poolId}" } }, order = "ASC" } }))
            .Expect(HttpStatusCode.OK).Object["events"]!.AsArray();
        var queueEvent = Assert.Single((await api.PostAsync("events/filter", new { filter = new { resource = new { id = new[] { $"prefect.work-queue.{queueId}" } } } }))
            .Expect(HttpStatusCode.OK).Object["events"]!.AsArray());
        Assert.Equal(["prefect.work-pool.ready", "prefect.work-pool.paused", "prefect.work-pool.ready"], poolEvents.Select(e => e!["event"]!.GetValue<string>()));
        Assert.Equal(pool, poolEvents[0]!["resource"]!["prefect.resource.name"]!.GetValue<string>());
        Assert.Equal("process", poolEvents[0]!["resource"]!["prefect.work-pool.type"]!.GetValue<string>());
        Assert.Equal("prefect.work-queue.paused", queueEvent!["event"]!.GetValue<string>());
        Assert.Equal($"prefect.work-pool.{poolId}", queueEvent["related"]![0]!["prefect.resource.id"]!.GetValue<string>());
    }

    [Fact]
    public async Task BadInput_Answers422NamingTheField()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var good = ClientEvent("acme.ok", Unique("acme.bad"), DateTimeOffset.UtcNow);

        Assert.Equal(["body.1.event"], (await api.PostAsync("events", new object[] { good, new { id = Guid.NewGuid(), occurred = DateTimeOffset.UtcNow, resource = new Dictionary<string, string> { ["prefect.resource.id"] = "x" } } }))
            .Expect(HttpStatusCode.UnprocessableEntity).ErrorLocations);
        Assert.Equal(["body.0.resource.prefect.resource.id"], (await api.PostAsync("events", new[] { new { id = Guid.NewGuid(), occurred = DateTimeOffset.UtcNow, @event = "acme.x", resource = new { } } }))
            .Expect(HttpStatusCode.UnprocessableEntity).ErrorLocations);
        Assert.Equal(["body.0.occurred"], (await api.PostAsync("events", new[] { new { id = Guid.NewGuid(), occurred = "yesterday", @event = "acme.x", resource = new Dictionary<string, string> { ["prefect.resource.id"] = "x" } } }))
            .Expect(HttpStatusCode.UnprocessableEntity).ErrorLocations);
        Assert.Equal(["body.limit"], (await api.PostAsync("events/filter", new { limit = 51 })).Expect(HttpStatusCode.UnprocessableEntity).ErrorLocations);
        Assert.Equal(["body.filter.occurred.since"], (await api.PostAsync("events/filter", new { filter = new { occurred = new { since = "soon" } } }))
            .Expect(HttpStatusCode.UnprocessableEntity).ErrorLocations);
        Assert.Equal(["body.filter.order"], (await api.PostAsync("events/filter", new { filter = new { order = "SIDEWAYS" } })).Expect(HttpStatusCode.UnprocessableEntity).ErrorLocations);
        Assert.Equal(["path.countable"], (await api.PostAsync("events/count-by/planet", new { filter = new { } })).Expect(HttpStatusCode.UnprocessableEntity).ErrorLocations);
        Assert.Equal(["body.filter"], (await api.PostAsync("events/count-by/event", new { })).Expect(HttpStatusCode.UnprocessableEntity).ErrorLocations);
        Assert.Equal(["body.time_interval"], (await api.PostAsync("events/count-by/time", new { filter = new { }, time_interval = 0 })).Expect(HttpStatusCode.UnprocessableEntity).ErrorLocations);
        (await api.PostAsync("events/count-by/time", new { filter = new { occurred = new { since = DateTimeOffset.UtcNow.AddDays(-30) } }, time_unit = "second" }))
            .Expect(HttpStatusCode.UnprocessableEntity);
        // Buckets too wide to be a time span, or reaching past the dates there are: refused, not a 500.
        Assert.Contains("maximum interval", (await api.PostAsync("events/count-by/time", new { filter = new { }, time_unit = "week", time_interval = 2_000_000 }))
            .Expect(HttpStatusCode.UnprocessableEntity).Text, StringComparison.Ordinal);
        Assert.Contains("maximum interval", (await api.PostAsync("events/count-by/time", new { filter = new { }, time_unit = "second", time_interval = 1e308 }))
            .Expect(HttpStatusCode.UnprocessableEntity).Text, StringComparison.Ordinal);
        Assert.Contains("years 1 to 9999", (await api.PostAsync("events/count-by/time", new
        {
            filter = new { occurred = new { since = "9990-01-01T00:00:00Z", until = "9999-01-01T00:00:00Z" } }, time_unit = "day", time_interval = 36_500,
        })).Expect(HttpStatusCode.UnprocessableEntity).Text, StringComparison.Ordinal);
        Assert.Equal(0, await TotalAsync(api, new { resource = new { id = new[] { good.Resource["prefect.resource.id"] } } }));
    }

    internal static ClientEventBody ClientEvent(string name, string resourceId, DateTimeOffset occurred, (string Id, string Role)? related = null) => new(
        Guid.NewGuid(), occurred, name,
        new Dictionary<string, string> { ["prefect.resource.id"] = resourceId, ["acme.size"] = "large" },
        related is var (id, role) ? [new Dictionary<string, string> { ["prefect.resource.id"] = id, ["prefect.resource.role"] = role }] : [],
        new Dictionary<string, object> { ["n"] = 1 });

    private static async Task<long> TotalAsync(PrefectApi api, object filter) =>
        (await api.PostAsync("events/filter", new { filter })).Expect(HttpStatusCode.OK).Object["total"]!.GetValue<long>();

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}";

    /// <summary>An event as a client sends it.</summary>
    internal sealed record ClientEventBody(
        [property: JsonPropertyName("id")] Guid Id,
        [property: JsonPropertyName("occurred")] DateTimeOffset Occurred,
        [property: JsonPropertyName("event")] string Event,
        [property: JsonPropertyName("resource")] Dictionary<string, string> Resource,
        [property: JsonPropertyName("related")] Dictionary<string, string>[] Related,
        [property: JsonPropertyName("payload")] Dictionary<string, object> Payload);
}
