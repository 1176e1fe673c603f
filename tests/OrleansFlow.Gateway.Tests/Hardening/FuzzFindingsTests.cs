using System.Net;
using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Hardening;

/// <summary>What a fuzzing pass over every route found: values the API stored that later broke reads for everyone, a
/// name a URL resolves away, filters and schedule fields of the wrong type. Each is now a 422 naming the field, or is
/// stored and reads back.</summary>
public sealed class FuzzFindingsTests(ServerPool servers) : IClassFixture<ServerPool>
{
    /// <summary>{"a":{"a":...1}} nested <paramref name="levels"/> deep.</summary>
    private static JsonNode Deep(int levels)
    {
        JsonNode node = 1;
        for (var i = 0; i < levels; i++)
        {
            node = new JsonObject { ["a"] = node };
        }

        return node;
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task DeepestAcceptedValues_ListAndUpdateAgain(DatabaseKind kind)
    {
        var api = (await servers.ServerAsync(kind)).Api;
        var marker = Guid.NewGuid().ToString("N")[..8];
        var flow = await api.CreateFlowAsync("deep-" + marker);

        // As deep as a body may be (64 levels with the body itself): stored...
        var run = (await api.PostAsync("flow_runs/", new JsonObject { ["flow_id"] = flow.ToString(), ["parameters"] = Deep(63), ["context"] = Deep(63) }))
            .Expect(HttpStatusCode.Created).Id;
        var artifact = (await api.PostAsync("artifacts/", new JsonObject { ["key"] = "deep-" + marker, ["type"] = "json", ["data"] = Deep(63) }))
            .Expect(HttpStatusCode.Created).Id;
        var deployment = (await api.PostAsync("deployments/", new JsonObject { ["name"] = "deep", ["flow_id"] = flow.ToString(), ["job_variables"] = Deep(63) }))
            .Expect(HttpStatusCode.Created).Id;
        (await api.PostAsync("work_pools/", new JsonObject
        {
            ["name"] = "deep-" + marker, ["type"] = "process", ["base_job_template"] = new JsonObject { ["job_configuration"] = Deep(62) },
        })).Expect(HttpStatusCode.Created);

        // ...and every read that wraps it works: lists, the run's graph, an update that records the deployment's before
        // and after in an event.
        Assert.Contains(run, Ids((await api.PostAsync("flow_runs/filter", new { })).Expect(HttpStatusCode.OK)));
        Assert.Contains(artifact, Ids((await api.PostAsync("artifacts/filter", new { })).Expect(HttpStatusCode.OK)));
        Assert.Contains(deployment, Ids((await api.PostAsync("deployments/filter", new { })).Expect(HttpStatusCode.OK)));
        (await api.PostAsync("work_pools/filter", new { })).Expect(HttpStatusCode.OK);
        (await api.GetAsync($"flow_runs/{run}/graph")).Expect(HttpStatusCode.OK);
        (await api.PatchAsync($"deployments/{deployment}", new JsonObject { ["parameters"] = Deep(63) })).Expect(HttpStatusCode.NoContent);
        (await api.PostAsync("deployments/filter", new { })).Expect(HttpStatusCode.OK);

        // One level more is refused at the door.
        var tooDeep = await api.PostAsync("flow_runs/",
            $"{{\"flow_id\":\"{flow}\",\"parameters\":{string.Concat(Enumerable.Repeat("{\"a\":", 64))}1{new string('}', 64)}}}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooDeep.Status);
    }

    /// <summary>The ids of a list answer, read past System.Text.Json's default depth (the answer nests the deep values).</summary>
    private static List<Guid> Ids(ApiResponse answer) =>
        [.. JsonNode.Parse(answer.Text, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 256 })!.AsArray().Select(r => PrefectApi.IdOf(r!))];

    [Fact]
    public async Task TaskInputs_WithANullEntry_Answer422_AndTheGraphStillRenders()
    {
        var api = (await servers.ServerAsync(DatabaseKind.Sqlite)).Api;
        var run = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync("inputs-" + Guid.NewGuid().ToString("N")[..8])));

        var refused = await api.PostAsync("task_runs/", new JsonObject
        {
            ["flow_run_id"] = run.ToString(), ["task_key"] = "k", ["dynamic_key"] = "0", ["task_inputs"] = new JsonObject { ["x"] = new JsonArray((JsonNode?)null) },
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Contains("body.task_inputs.x.0", refused.ErrorLocations);
        (await api.GetAsync($"flow_runs/{run}/graph")).Expect(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("flows/filter")]
    [InlineData("flow_runs/count")]
    [InlineData("task_runs/filter")]
    [InlineData("deployments/count")]
    [InlineData("artifacts/filter")]
    public async Task SubflowRunsFilter_NotAnObject_Answers422NamingIt(string route)
    {
        var api = (await servers.ServerAsync(DatabaseKind.Sqlite)).Api;

        var answer = await api.PostAsync(route, new JsonObject { ["task_runs"] = new JsonObject { ["subflow_runs"] = "abc" } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Contains("subflow_runs", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DotNames_AreRefused_SoAQueueDeleteCannotReachItsPool()
    {
        var api = (await servers.ServerAsync(DatabaseKind.Sqlite)).Api;
        var pool = "dots-" + Guid.NewGuid().ToString("N")[..8];
        (await api.PostAsync("work_pools/", new { name = pool, type = "process" })).Expect(HttpStatusCode.Created);

        foreach (var name in new[] { ".", ".." })
        {
            var queue = await api.PostAsync($"work_pools/{pool}/queues", new { name });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, queue.Status);
            Assert.Contains("body.name", queue.ErrorLocations);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.PostAsync("work_pools/", new { name, type = "process" })).Status);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.PostAsync("flows/", new { name })).Status);
        }

        (await api.GetAsync($"work_pools/{pool}")).Expect(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("timezone", "5")]
    [InlineData("timezone", "{\"a\":1}")]
    [InlineData("anchor_date", "5")]
    [InlineData("anchor_date", "[1]")]
    public async Task ScheduleField_OfTheWrongType_Answers422NamingIt(string field, string value)
    {
        var api = (await servers.ServerAsync(DatabaseKind.Sqlite)).Api;
        var flow = await api.CreateFlowAsync("schedule-types-" + Guid.NewGuid().ToString("N")[..8]);
        var schedule = new JsonObject { ["interval"] = 3600, [field] = JsonNode.Parse(value) };

        var answer = await api.PostAsync("deployments/", new JsonObject
        {
            ["name"] = "typed", ["flow_id"] = flow.ToString(), ["schedules"] = new JsonArray(new JsonObject { ["schedule"] = schedule }),
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Contains($"body.schedules.0.schedule.{field}", answer.ErrorLocations);
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("{\"a\":1}")]
    [InlineData("[1, 2]")]
    public async Task PullSteps_NotAListOfSteps_Answers422(string value)
    {
        var api = (await servers.ServerAsync(DatabaseKind.Sqlite)).Api;
        var flow = await api.CreateFlowAsync("pull-steps-" + Guid.NewGuid().ToString("N")[..8]);

        var answer = await api.PostAsync("deployments/", new JsonObject { ["name"] = "steps", ["flow_id"] = flow.ToString(), ["pull_steps"] = JsonNode.Parse(value) });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Contains("body.pull_steps", answer.ErrorLocations);
    }

    [Fact]
    public async Task TagLimit_OnATagWithASlash_Answers422_ForItsRoutesCouldNotReachIt()
    {
        var api = (await servers.ServerAsync(DatabaseKind.Sqlite)).Api;

        var answer = await api.PostAsync("concurrency_limits/", new { tag = "team/db", concurrency_limit = 2 });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Contains("body.tag", answer.ErrorLocations);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("concurrency_limits/tag/team%2Fdb")).Status);
    }
}
