using System.Globalization;
using System.Net;
using System.Text;
using OrleansFlow.Gateway.Tests.Hardening;
using OrleansFlow.Gateway.Tests.Infrastructure;
using OrleansFlow.Testing;

namespace OrleansFlow.Gateway.Tests.Compatibility;

/// <summary>Prefect 2.12+'s global concurrency limits (<c>/v2/concurrency_limits</c>), with the bodies a 2.20 client's
/// <c>concurrency()</c>, <c>rate_limit()</c> and <c>GlobalConcurrencyLimit</c> calls send.</summary>
public sealed class GlobalConcurrencyLimitTests(ServerPool servers) : IClassFixture<ServerPool>
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Crud_ByIdAndByName_AsPrefectAnswers(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var name = "gcl-" + Guid.NewGuid().ToString("N")[..8];

        // The 2.20 client's create body: GlobalConcurrencyLimitCreate with exclude_unset.
        var created = (await api.PostAsync("v2/concurrency_limits/", new { name, limit = 3 })).Expect(HttpStatusCode.Created).Object;
        var duplicate = await api.PostAsync("v2/concurrency_limits/", new { name, limit = 1 });
        var byId = (await api.GetAsync($"v2/concurrency_limits/{created["id"]}")).Expect(HttpStatusCode.OK).Object;
        (await api.PatchAsync($"v2/concurrency_limits/{name}", new Dictionary<string, object?> { ["limit"] = 5, ["slot_decay_per_second"] = 0.5, ["active"] = false }))
            .Expect(HttpStatusCode.NoContent);
        var byName = (await api.GetAsync($"v2/concurrency_limits/{name}")).Expect(HttpStatusCode.OK).Object;
        var page = (await api.PostAsync("v2/concurrency_limits/filter", new { limit = 200, offset = 0 })).Expect(HttpStatusCode.OK).Array;
        var patchMissing = await api.PatchAsync("v2/concurrency_limits/" + Guid.NewGuid(), new { limit = 1 });
        (await api.DeleteAsync($"v2/concurrency_limits/{created["id"]}")).Expect(HttpStatusCode.NoContent);
        var gone = await api.GetAsync($"v2/concurrency_limits/{name}");
        var deleteAgain = await api.DeleteAsync($"v2/concurrency_limits/{name}");

        Assert.Equal(name, created["name"]!.GetValue<string>());
        Assert.True(created["active"]!.GetValue<bool>());
        Assert.Equal(0, created["active_slots"]!.GetValue<int>());
        Assert.Equal(0, created["denied_slots"]!.GetValue<int>());
        Assert.Equal(0.0, created["slot_decay_per_second"]!.GetValue<double>());
        Assert.Equal(2.0, created["avg_slot_occupancy_seconds"]!.GetValue<double>());
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Equal(3, byId["limit"]!.GetValue<int>());
        Assert.Equal(5, byName["limit"]!.GetValue<int>());
        Assert.Equal(0.5, byName["slot_decay_per_second"]!.GetValue<double>());
        Assert.False(byName["active"]!.GetValue<bool>());
        Assert.Contains(page, l => l!["name"]!.GetValue<string>() == name);
        Assert.Equal(HttpStatusCode.NotFound, patchMissing.Status);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        Assert.Equal(HttpStatusCode.NotFound, deleteAgain.Status);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Create_BadFields_Answers422NamingTheField(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);

        var banned = (await api.PostAsync("v2/concurrency_limits/", new { name = "a/b", limit = 1 })).Expect(HttpStatusCode.UnprocessableEntity);
        var negative = (await api.PostAsync("v2/concurrency_limits/", new { name = "neg-" + Guid.NewGuid().ToString("N")[..8], limit = -1 }))
            .Expect(HttpStatusCode.UnprocessableEntity);
        var noLimit = (await api.PostAsync("v2/concurrency_limits/", new { name = "x" })).Expect(HttpStatusCode.UnprocessableEntity);
        var noSlots = (await api.PostAsync("v2/concurrency_limits/increment", new { names = new[] { "x" } })).Expect(HttpStatusCode.UnprocessableEntity);
        var noNames = (await api.PostAsync("v2/concurrency_limits/increment", new { names = Array.Empty<string>(), slots = 1 })).Expect(HttpStatusCode.UnprocessableEntity);
        var badMode = (await api.PostAsync("v2/concurrency_limits/increment", new { names = new[] { "x" }, slots = 1, mode = "fast" })).Expect(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("body.name", banned.ErrorLocations);
        Assert.Contains("body.limit", negative.ErrorLocations);
        Assert.Contains("body.limit", noLimit.ErrorLocations);
        Assert.Contains("body.slots", noSlots.ErrorLocations);
        Assert.Contains("body.names", noNames.ErrorLocations);
        Assert.Contains("body.mode", badMode.ErrorLocations);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task IncrementDecrement_AsConcurrencyDoes_TakesUpToTheLimitThen423WithRetryAfter(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var name = "slots-" + Guid.NewGuid().ToString("N")[..8];
        var id = (await api.PostAsync("v2/concurrency_limits/", new { name, limit = 2 })).Expect(HttpStatusCode.Created).Id;

        var first = (await api.PostAsync("v2/concurrency_limits/increment", new { names = new[] { name }, slots = 1, mode = "concurrency" })).Expect(HttpStatusCode.OK).Array;
        (await api.PostAsync("v2/concurrency_limits/increment", new { names = new[] { name }, slots = 1, mode = "concurrency" })).Expect(HttpStatusCode.OK);
        var (lockedStatus, retryAfter, lockedBody) = await IncrementRawAsync(api, name, 1, "concurrency");
        var full = (await api.GetAsync($"v2/concurrency_limits/{name}")).Expect(HttpStatusCode.OK).Object;
        var tooMany = (await api.PostAsync("v2/concurrency_limits/increment", new { names = new[] { name }, slots = 3, mode = "concurrency" }))
            .Expect(HttpStatusCode.UnprocessableEntity);
        var notRate = (await api.PostAsync("v2/concurrency_limits/increment", new { names = new[] { name }, slots = 1, mode = "rate_limit" }))
            .Expect(HttpStatusCode.UnprocessableEntity);

        // The 2.20 client's release body: names, slots, occupancy_seconds.
        var released = (await api.PostAsync("v2/concurrency_limits/decrement", new { names = new[] { name }, slots = 1, occupancy_seconds = 4.0 }))
            .Expect(HttpStatusCode.OK).Array;
        var again = await api.PostAsync("v2/concurrency_limits/increment", new { names = new[] { name }, slots = 1, mode = "concurrency" });
        (await api.PostAsync("v2/concurrency_limits/decrement", new { names = new[] { name }, slots = 5, occupancy_seconds = 1.0 })).Expect(HttpStatusCode.OK);
        var after = (await api.GetAsync($"v2/concurrency_limits/{id}")).Expect(HttpStatusCode.OK).Object;

        Assert.Equal(id, PrefectApi.IdOf(first.Single()!));
        Assert.Equal(name, first.Single()!["name"]!.GetValue<string>());
        Assert.Equal(2, first.Single()!["limit"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Locked, lockedStatus);
        // One slot asked of a full limit of 2 without decay: (1 + 0 denied) / 2 slots x 2 s average occupancy.
        Assert.Equal(1.0, double.Parse(retryAfter!, CultureInfo.InvariantCulture));
        Assert.Contains("Locked", lockedBody, StringComparison.Ordinal);
        Assert.Equal(2, full["active_slots"]!.GetValue<int>());
        Assert.Contains("body.slots", tooMany.ErrorLocations);
        Assert.Contains("body.mode", notRate.ErrorLocations);
        Assert.Equal(name, released.Single()!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(0, after["active_slots"]!.GetValue<int>());
        // Each release moves the average occupancy a (limit x 2)-th of the way toward its seconds per slot: 2 -> 2.5 (4 s for
        // one slot) -> 1.925 (1 s for five slots, 0.2 s each).
        Assert.Equal(1.925, after["avg_slot_occupancy_seconds"]!.GetValue<double>(), 6);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Increment_UnknownName_CreatesAnInactiveLimitThatAdmitsEverything(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var name = "new-" + Guid.NewGuid().ToString("N")[..8];
        var skipped = "skip-" + Guid.NewGuid().ToString("N")[..8];

        for (var i = 0; i < 3; i++)
        {
            (await api.PostAsync("v2/concurrency_limits/increment", new { names = new[] { name }, slots = 1, mode = "concurrency" })).Expect(HttpStatusCode.OK);
        }

        var made = (await api.GetAsync($"v2/concurrency_limits/{name}")).Expect(HttpStatusCode.OK).Object;
        var notCreated = (await api.PostAsync("v2/concurrency_limits/increment", new Dictionary<string, object>
        {
            ["names"] = new[] { skipped }, ["slots"] = 1, ["create_if_missing"] = false,
        })).Expect(HttpStatusCode.OK).Array;
        var missing = await api.GetAsync($"v2/concurrency_limits/{skipped}");

        Assert.False(made["active"]!.GetValue<bool>());
        Assert.Equal(1, made["limit"]!.GetValue<int>());
        Assert.Equal(0, made["active_slots"]!.GetValue<int>());
        Assert.Empty(notCreated);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Increment_ManyAtOnce_NeverTakesMoreSlotsThanTheLimit(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var shared = "shared-" + Guid.NewGuid().ToString("N")[..8];
        var name = "race-" + Guid.NewGuid().ToString("N")[..8];
        (await api.PostAsync("v2/concurrency_limits/", new { name, limit = 5 })).Expect(HttpStatusCode.Created);
        (await api.PostAsync("v2/concurrency_limits/", new { name = shared, limit = 100 })).Expect(HttpStatusCode.Created);

        // Each caller asks for a slot of both limits, in either order, as concurrency([a, b]) does.
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => api.PostAsync("v2/concurrency_limits/increment",
            new { names = i % 2 == 0 ? new[] { name, shared } : new[] { shared, name }, slots = 1, mode = "concurrency" })));
        var limit = (await api.GetAsync($"v2/concurrency_limits/{name}")).Expect(HttpStatusCode.OK).Object;
        var other = (await api.GetAsync($"v2/concurrency_limits/{shared}")).Expect(HttpStatusCode.OK).Object;

        Assert.All(answers, a => Assert.Contains(a.Status, new[] { HttpStatusCode.OK, HttpStatusCode.Locked }));
        Assert.Equal(5, answers.Count(a => a.Status == HttpStatusCode.OK));
        Assert.Equal(5, limit["active_slots"]!.GetValue<int>());
        Assert.InRange(limit["denied_slots"]!.GetValue<int>(), 1, 35);
        // All or none: a refused caller took no slot of the other limit either.
        Assert.Equal(5, other["active_slots"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task RateLimit_SlotsDecay_FreeOneSlotPerDecayInterval(DatabaseKind database)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await OwnServer.StartAsync(database, clock);
        var api = server.Api;
        (await api.PostAsync("v2/concurrency_limits/", new { name = "per-second", limit = 2, slot_decay_per_second = 1.0 })).Expect(HttpStatusCode.Created);

        var burst = (await api.PostAsync("v2/concurrency_limits/increment", new { names = new[] { "per-second" }, slots = 2, mode = "rate_limit" })).Status;
        var (refused, retryAfter, _) = await IncrementRawAsync(api, "per-second", 1, "rate_limit");
        var denied = (await api.GetAsync("v2/concurrency_limits/per-second")).Expect(HttpStatusCode.OK).Object;
        clock.Advance(TimeSpan.FromMilliseconds(500));
        // Asked again before a whole slot decayed: still refused, and the refusal must not restart the decay.
        var (early, _, _) = await IncrementRawAsync(api, "per-second", 1, "rate_limit");
        clock.Advance(TimeSpan.FromMilliseconds(500));
        var (onTime, _, _) = await IncrementRawAsync(api, "per-second", 1, "rate_limit");
        var shown = (await api.GetAsync("v2/concurrency_limits/per-second")).Expect(HttpStatusCode.OK).Object;
        clock.Advance(TimeSpan.FromSeconds(10));
        var idle = (await api.GetAsync("v2/concurrency_limits/per-second")).Expect(HttpStatusCode.OK).Object;

        Assert.Equal(HttpStatusCode.OK, burst);
        Assert.Equal(HttpStatusCode.Locked, refused);
        Assert.Equal(1.0, double.Parse(retryAfter!, CultureInfo.InvariantCulture));
        Assert.Equal(1, denied["denied_slots"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Locked, early);
        Assert.Equal(HttpStatusCode.OK, onTime);
        Assert.Equal(2, shown["active_slots"]!.GetValue<int>());
        Assert.Equal(0, idle["active_slots"]!.GetValue<int>());
        Assert.Equal(0, idle["denied_slots"]!.GetValue<int>());
    }

    /// <summary>A decay past the bound used to be stored: 1e308 (a limit that frees every slot at once, the decay over two
    /// seconds being infinite) and 1e309, which reads as infinity and was stored before its answer failed to be written, so
    /// that every later list of limits answered 500. The same for a release's <c>occupancy_seconds</c>.</summary>
    [Theory]
    [InlineData(DatabaseKind.Sqlite, "POST", "slot_decay_per_second", "1e309")]
    [InlineData(DatabaseKind.Sqlite, "POST", "slot_decay_per_second", "1e308")]
    [InlineData(DatabaseKind.Sqlite, "PATCH", "slot_decay_per_second", "1e309")]
    [InlineData(DatabaseKind.Sqlite, "PATCH", "slot_decay_per_second", "-0.5")]
    [InlineData(DatabaseKind.Sqlite, "decrement", "occupancy_seconds", "1e309")]
    [InlineData(DatabaseKind.Postgres, "POST", "slot_decay_per_second", "1e309")]
    [InlineData(DatabaseKind.Postgres, "PATCH", "slot_decay_per_second", "1e308")]
    [InlineData(DatabaseKind.Postgres, "decrement", "occupancy_seconds", "1e308")]
    public async Task AbsurdDecayOrOccupancy_Answers422NamingTheFieldAndStoresNothing(DatabaseKind database, string call, string field, string value)
    {
        var api = await servers.ApiAsync(database);
        var name = "absurd-" + Guid.NewGuid().ToString("N")[..8];
        if (call != "POST")
        {
            (await api.PostAsync("v2/concurrency_limits/", new { name, limit = 2, slot_decay_per_second = 0.5 })).Expect(HttpStatusCode.Created);
            (await api.PostAsync("v2/concurrency_limits/increment", new { names = new[] { name }, slots = 1 })).Expect(HttpStatusCode.OK);
        }

        var (method, path, body) = call switch
        {
            "POST" => (HttpMethod.Post, "v2/concurrency_limits/", $$"""{"name": "{{name}}", "limit": 2, "{{field}}": {{value}}}"""),
            "PATCH" => (HttpMethod.Patch, $"v2/concurrency_limits/{name}", $$"""{"{{field}}": {{value}}}"""),
            _ => (HttpMethod.Post, "v2/concurrency_limits/decrement", $$"""{"names": ["{{name}}"], "slots": 1, "{{field}}": {{value}}}"""),
        };
        using var request = new HttpRequestMessage(method, "api/" + path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var response = await api.SendAsync(request);

        Assert.True(response.Status == HttpStatusCode.UnprocessableEntity, $"expected 422, got {response}");
        Assert.Equal([$"body.{field}"], response.ErrorLocations);
        var list = (await api.PostAsync("v2/concurrency_limits/filter", new { })).Expect(HttpStatusCode.OK).Array;
        var stored = list.SingleOrDefault(l => l!["name"]!.GetValue<string>() == name);
        if (call == "POST")
        {
            Assert.Null(stored);
        }
        else
        {
            Assert.Equal(0.5, stored!["slot_decay_per_second"]!.GetValue<double>());
            Assert.Equal(2.0, stored["avg_slot_occupancy_seconds"]!.GetValue<double>());
            Assert.Equal(1, stored["active_slots"]!.GetValue<int>());
        }
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task DecayAtTheBound_IsStored(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);

        var created = (await api.PostAsync("v2/concurrency_limits/", new { name = "fast-" + Guid.NewGuid().ToString("N")[..8], limit = 1, slot_decay_per_second = 1e9 }))
            .Expect(HttpStatusCode.Created).Object;

        Assert.Equal(1e9, created["slot_decay_per_second"]!.GetValue<double>());
    }

    private static async Task<(HttpStatusCode Status, string? RetryAfter, string Body)> IncrementRawAsync(PrefectApi api, string name, int slots, string mode)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v2/concurrency_limits/increment")
        {
            Content = new StringContent($$"""{"names": ["{{name}}"], "slots": {{slots}}, "mode": "{{mode}}"}""", Encoding.UTF8, "application/json"),
        };
        using var response = await api.Client.SendAsync(request);
        var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null;
        return (response.StatusCode, retryAfter, await response.Content.ReadAsStringAsync());
    }
}
