using System.Net;
using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Tests.Infrastructure;
using OrleansFlow.Testing;

namespace OrleansFlow.Gateway.Tests.Automations;

/// <summary>Prefect 3's <c>/api/automations</c> routes: statuses, shapes, validation naming the field.</summary>
public sealed class AutomationApiTests(ServerPool servers) : IClassFixture<ServerPool>
{
    private static string Body(string name, string extra = "") => $$"""
        {"name": "{{name}}", "description": "when runs fail", "tags": ["ops"]{{extra}},
         "trigger": {"type": "event", "match": {"prefect.resource.id": "prefect.flow-run.*"}, "expect": ["prefect.flow-run.Failed"],
                     "for_each": ["prefect.resource.id"], "posture": "Reactive", "threshold": 1, "within": 0},
         "actions": [{"type": "do-nothing"}]}
        """;

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Automations_CreateReadReplacePatchDelete_AnswerAsPrefect(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var name = "crud-" + Guid.NewGuid().ToString("N")[..8];
        var created = (await api.PostAsync("automations/", Body(name))).Expect(HttpStatusCode.Created).Object;
        var id = Guid.Parse(created["id"]!.GetValue<string>());
        Assert.Equal(name, created["name"]!.GetValue<string>());
        Assert.True(created["enabled"]!.GetValue<bool>());
        Assert.Equal("Reactive", created["trigger"]!["posture"]!.GetValue<string>());
        Assert.Equal("do-nothing", created["actions"]![0]!["type"]!.GetValue<string>());
        Assert.NotNull(created["created"]);
        Assert.Empty(created["actions_on_resolve"]!.AsArray());

        var read = (await api.GetAsync($"automations/{id}")).Expect(HttpStatusCode.OK).Object;
        Assert.Equal(created["trigger"]!["id"]!.GetValue<string>(), read["trigger"]!["id"]!.GetValue<string>());

        (await api.SendAsync(HttpMethod.Put, $"automations/{id}", Body(name + "-renamed"))).Expect(HttpStatusCode.NoContent);
        Assert.Equal(name + "-renamed", (await api.GetAsync($"automations/{id}")).Expect(HttpStatusCode.OK).Object["name"]!.GetValue<string>());

        (await api.PatchAsync($"automations/{id}", new { enabled = false })).Expect(HttpStatusCode.NoContent);
        Assert.False((await api.GetAsync($"automations/{id}")).Expect(HttpStatusCode.OK).Object["enabled"]!.GetValue<bool>());
        Assert.Empty((await api.GetAsync($"automations/{id}/firings")).Expect(HttpStatusCode.OK).Array);

        (await api.DeleteAsync($"automations/{id}")).Expect(HttpStatusCode.NoContent);
        (await api.GetAsync($"automations/{id}")).Expect(HttpStatusCode.NotFound);
        (await api.DeleteAsync($"automations/{id}")).Expect(HttpStatusCode.NotFound);
        (await api.SendAsync(HttpMethod.Put, $"automations/{id}", Body(name))).Expect(HttpStatusCode.NotFound);
        (await api.PatchAsync($"automations/{id}", new { enabled = true })).Expect(HttpStatusCode.NotFound);
        (await api.GetAsync($"automations/{id}/firings")).Expect(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Automations_FilterCountRelatedOwned(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var prefix = "f-" + Guid.NewGuid().ToString("N")[..8];
        var deployment = Guid.NewGuid();
        var runs = (await api.PostAsync("automations/", Body(prefix + "-b").Replace("""[{"type": "do-nothing"}]""",
            $$"""[{"type": "run-deployment", "source": "selected", "deployment_id": "{{deployment}}"}]""", StringComparison.Ordinal))).Expect(HttpStatusCode.Created).Id;
        var owned = (await api.PostAsync("automations/", Body(prefix + "-a", """, "owner_resource": "prefect.deployment.x-""" + prefix + "\""))).Expect(HttpStatusCode.Created).Id;
        var before = (await api.PostAsync("automations/count")).Expect(HttpStatusCode.OK).Body!.GetValue<long>();
        Assert.True(before >= 2);

        var page = (await api.PostAsync("automations/filter", new { sort = "NAME_DESC", automations = new { name = new { any_ = new[] { prefix + "-a", prefix + "-b" } } } }))
            .Expect(HttpStatusCode.OK).Array;
        Assert.Equal([runs, owned], page.Select(a => PrefectApi.IdOf(a!)));
        var limited = (await api.PostAsync("automations/filter", new { limit = 1, automations = new { name = new { any_ = new[] { prefix + "-a", prefix + "-b" } } } }))
            .Expect(HttpStatusCode.OK).Array;
        Assert.Equal([owned], limited.Select(a => PrefectApi.IdOf(a!)));
        Assert.Contains("body.sort", (await api.PostAsync("automations/filter", new { sort = "SIDEWAYS" })).Expect(HttpStatusCode.UnprocessableEntity).ErrorLocations);
        Assert.Contains("body.limit", (await api.PostAsync("automations/filter", new { limit = 201 })).Expect(HttpStatusCode.UnprocessableEntity).ErrorLocations);

        Assert.Equal([runs], (await api.GetAsync($"automations/related-to/prefect.deployment.{deployment}")).Expect(HttpStatusCode.OK).Array.Select(a => PrefectApi.IdOf(a!)));
        (await api.DeleteAsync($"automations/owned-by/prefect.deployment.x-{prefix}")).Expect(HttpStatusCode.Accepted);
        (await api.GetAsync($"automations/{owned}")).Expect(HttpStatusCode.NotFound);
        (await api.GetAsync($"automations/{runs}")).Expect(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite, """{"name": "x", "trigger": {"posture": "Reactive", "within": -5}, "actions": []}""", "body.trigger.within")]
    [InlineData(DatabaseKind.Postgres, """{"name": "x", "trigger": {"posture": "Proactive", "within": 3}, "actions": []}""", "body.trigger.within")]
    [InlineData(DatabaseKind.Sqlite, """{"name": "x", "trigger": {"posture": "Reactive", "threshold": 0}, "actions": []}""", "body.trigger.threshold")]
    [InlineData(DatabaseKind.Sqlite, """{"name": "x", "trigger": {"posture": "Reactive"}, "actions": [{"type": "explode"}]}""", "body.actions.0.type")]
    [InlineData(DatabaseKind.Sqlite, """{"name": "x", "trigger": {"posture": "Reactive"}}""", "body.actions")]
    [InlineData(DatabaseKind.Sqlite, """{"name": "x", "trigger": {"posture": "Reactive"}, "actions": [], "surprise": 1}""", "body.surprise")]
    [InlineData(DatabaseKind.Sqlite, """[1, 2]""", "body")]
    public async Task CreateAutomation_InvalidBody_Is422NamingTheField(DatabaseKind database, string body, string location)
    {
        var api = await servers.ApiAsync(database);
        var response = (await api.PostAsync("automations/", body)).Expect(HttpStatusCode.UnprocessableEntity);
        Assert.Contains(location, response.ErrorLocations);
    }

    [Fact]
    public async Task PatchAndPut_InvalidBodies_Are422()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var id = (await api.PostAsync("automations/", Body("patch-" + Guid.NewGuid().ToString("N")[..8]))).Expect(HttpStatusCode.Created).Id;
        Assert.Contains("body.enabled", (await api.PatchAsync($"automations/{id}", new { enabled = "maybe" })).Expect(HttpStatusCode.UnprocessableEntity).ErrorLocations);
        Assert.Contains("body.name", (await api.PatchAsync($"automations/{id}", new { name = "x" })).Expect(HttpStatusCode.UnprocessableEntity).ErrorLocations);
        // owner_resource belongs to a create only.
        Assert.Contains("body.owner_resource",
            (await api.SendAsync(HttpMethod.Put, $"automations/{id}", Body("p", """, "owner_resource": "x" """))).Expect(HttpStatusCode.UnprocessableEntity).ErrorLocations);
        (await api.GetAsync("automations/not-a-uuid")).Expect(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Firings_AFailedRunThroughTheApi_IsInTheHistoryWithItsActionResults(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowId = await api.CreateFlowAsync("fired-" + Guid.NewGuid().ToString("N")[..8]);
        var id = (await api.PostAsync("automations/", $$$"""
            {"name": "fired", "trigger": {"posture": "Reactive", "expect": ["prefect.flow-run.Failed"], "match_related": {"prefect.resource.id": "prefect.flow.{{{flowId}}}"}},
             "actions": [{"type": "do-nothing"}, {"type": "call-webhook", "block_document_id": "{{{Guid.NewGuid()}}}", "payload": "x"}]}
            """)).Expect(HttpStatusCode.Created).Id;

        // The server's dispatcher starts from the newest event when it first runs, so a run failed before that is history:
        // fail runs until one fires. A firing is stored pending before its actions run: wait until they have.
        var failed = new List<Guid>();
        JsonArray firings = [];
        await Poll.UntilAsync(async () =>
        {
            firings = (await api.GetAsync($"automations/{id}/firings")).Expect(HttpStatusCode.OK).Array;
            if (firings.Count == 0)
            {
                var run = PrefectApi.IdOf(await api.CreateFlowRunAsync(flowId, state: "RUNNING"));
                (await api.SetStateAsync("flow_runs", run, "FAILED")).Expect(HttpStatusCode.Created);
                failed.Add(run);
            }

            return firings.Count > 0 && firings.All(f => f!["status"]!.GetValue<string>() != "pending");
        }, TimeSpan.FromSeconds(60), "a firing of the automation, its actions run", TimeSpan.FromSeconds(1));

        var firing = firings[0]!;
        Assert.Equal("prefect.flow-run.Failed", firing["triggering_event"]!["event"]!.GetValue<string>());
        Assert.Contains(Guid.Parse(firing["triggering_event"]!["resource"]!["prefect.resource.id"]!.GetValue<string>()["prefect.flow-run.".Length..]), failed);
        Assert.Equal("failed", firing["status"]!.GetValue<string>());
        var results = firing["action_results"]!.AsArray();
        Assert.Equal(["completed", "failed"], results.Select(r => r!["status"]!.GetValue<string>()));
        Assert.Equal(["do-nothing", "call-webhook"], results.Select(r => r!["type"]!.GetValue<string>()));
        Assert.NotNull(firing["fired"]);
    }
}
