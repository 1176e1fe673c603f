using System.Net;
using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Compatibility;

/// <summary>Prefect 2.15+'s flow run inputs (<c>/flow_runs/{id}/input</c>) with the bodies a 2.20 client's
/// <c>pause_flow_run(wait_for_input=...)</c>, <c>send_input</c> and <c>receive_input</c> send, and resuming a run that
/// waits for input.</summary>
public sealed class FlowRunInputTests(ServerPool servers) : IClassFixture<ServerPool>
{
    private const string Schema = """{"title": "Answer", "type": "object", "properties": {"name": {"title": "Name", "type": "string"}}, "required": ["name"]}""";

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Inputs_CreateReadFilterDelete_AsPrefectAnswers(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowId = await api.CreateFlowAsync("inputs-" + Guid.NewGuid().ToString("N")[..8]);
        var runId = PrefectApi.IdOf(await api.CreateFlowRunAsync(flowId, state: "RUNNING"));

        (await api.PostAsync($"flow_runs/{runId}/input", new { key = "paused-1-schema", value = Schema })).Expect(HttpStatusCode.Created);
        (await api.PostAsync($"flow_runs/{runId}/input", new { key = "paused-1-description", value = "\"Who are you?\"", sender = "flow-a" })).Expect(HttpStatusCode.Created);
        (await api.PostAsync($"flow_runs/{runId}/input", new { key = "other-1", value = "1" })).Expect(HttpStatusCode.Created);
        var duplicate = await api.PostAsync($"flow_runs/{runId}/input", new { key = "paused-1-schema", value = "{}" });
        var noRun = await api.PostAsync($"flow_runs/{Guid.NewGuid()}/input", new { key = "a", value = "1" });
        var badKey = (await api.PostAsync($"flow_runs/{runId}/input", new { key = "Not_Valid", value = "1" })).Expect(HttpStatusCode.UnprocessableEntity);
        var noValue = (await api.PostAsync($"flow_runs/{runId}/input", new { key = "a" })).Expect(HttpStatusCode.UnprocessableEntity);

        var read = (await api.GetAsync($"flow_runs/{runId}/input/paused-1-schema")).Expect(HttpStatusCode.OK);
        // The client's receive_input body: prefix, limit, exclude_keys.
        var one = (await api.PostAsync($"flow_runs/{runId}/input/filter", new { prefix = "paused-1-" })).Expect(HttpStatusCode.OK).Array;
        var all = (await api.PostAsync($"flow_runs/{runId}/input/filter", new { prefix = "paused-1-", limit = 10 })).Expect(HttpStatusCode.OK).Array;
        var excluded = (await api.PostAsync($"flow_runs/{runId}/input/filter", new { prefix = "paused-1-", limit = 10, exclude_keys = new[] { "paused-1-schema" } }))
            .Expect(HttpStatusCode.OK).Array;
        var noPrefix = (await api.PostAsync($"flow_runs/{runId}/input/filter", new { limit = 10 })).Expect(HttpStatusCode.UnprocessableEntity);
        (await api.DeleteAsync($"flow_runs/{runId}/input/other-1")).Expect(HttpStatusCode.NoContent);
        var deletedAgain = await api.DeleteAsync($"flow_runs/{runId}/input/other-1");
        var missing = await api.GetAsync($"flow_runs/{runId}/input/other-1");

        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Equal(HttpStatusCode.NotFound, noRun.Status);
        Assert.Contains("body.key", badKey.ErrorLocations);
        Assert.Contains("body.value", noValue.ErrorLocations);
        Assert.Equal(Schema, read.Text);
        Assert.StartsWith("text/plain", read.ContentType, StringComparison.Ordinal);
        Assert.Equal(["paused-1-schema"], one.Select(i => i!["key"]!.GetValue<string>()));
        Assert.Equal(["paused-1-schema", "paused-1-description"], all.Select(i => i!["key"]!.GetValue<string>()));
        Assert.Equal(["paused-1-description"], excluded.Select(i => i!["key"]!.GetValue<string>()));
        var description = excluded.Single()!.AsObject();
        Assert.Equal(runId, Guid.Parse(description["flow_run_id"]!.GetValue<string>()));
        Assert.Equal("\"Who are you?\"", description["value"]!.GetValue<string>());
        Assert.Equal("flow-a", description["sender"]!.GetValue<string>());
        Assert.True(description.ContainsKey("id") && description.ContainsKey("created") && description.ContainsKey("updated"));
        Assert.Contains("body.prefix", noPrefix.ErrorLocations);
        Assert.Equal(HttpStatusCode.NotFound, deletedAgain.Status);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Inputs_RunDeleted_AreDeletedWithIt(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowId = await api.CreateFlowAsync("inputs-gone-" + Guid.NewGuid().ToString("N")[..8]);
        var runId = PrefectApi.IdOf(await api.CreateFlowRunAsync(flowId));
        (await api.PostAsync($"flow_runs/{runId}/input", new { key = "k", value = "1" })).Expect(HttpStatusCode.Created);
        (await api.GetAsync($"flow_runs/{runId}/input/k")).Expect(HttpStatusCode.OK);

        (await api.DeleteAsync($"flow_runs/{runId}")).Expect(HttpStatusCode.NoContent);

        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"flow_runs/{runId}/input/k")).Status);
        Assert.Empty((await api.PostAsync($"flow_runs/{runId}/input/filter", new { prefix = "", limit = 10 })).Expect(HttpStatusCode.OK).Array);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Resume_PausedForInput_RejectsInputThatMissesTheSchemaAndStoresTheAcceptedOne(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowId = await api.CreateFlowAsync("wait-for-input-" + Guid.NewGuid().ToString("N")[..8]);
        var runId = PrefectApi.IdOf(await api.CreateFlowRunAsync(flowId, state: "RUNNING"));

        // What pause_flow_run(wait_for_input=Answer) does: store the schema, then propose Paused with the keyset.
        (await api.PostAsync($"flow_runs/{runId}/input", new { key = "paused-1-schema", value = Schema })).Expect(HttpStatusCode.Created);
        var paused = (await api.PostAsync($"flow_runs/{runId}/set_state", new JsonObject
        {
            ["state"] = new JsonObject
            {
                ["type"] = "PAUSED",
                ["name"] = "Paused",
                ["state_details"] = new JsonObject
                {
                    ["pause_timeout"] = DateTimeOffset.UtcNow.AddHours(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    ["pause_reschedule"] = false,
                    ["pause_key"] = "1",
                    ["run_input_keyset"] = new JsonObject
                    {
                        ["description"] = "paused-1-description", ["response"] = "paused-1-response", ["schema"] = "paused-1-schema",
                    },
                },
            },
        }.ToJsonString())).Expect(HttpStatusCode.Created).Object;
        var noInput = (await api.PostAsync($"flow_runs/{runId}/resume", new { })).Expect(HttpStatusCode.OK).Object;
        var wrong = (await api.PostAsync($"flow_runs/{runId}/resume", new { run_input = new { nickname = "x" } })).Expect(HttpStatusCode.OK).Object;
        var stillPaused = (await api.GetAsync($"flow_runs/{runId}")).Expect(HttpStatusCode.OK).Object;
        var noResponseYet = await api.GetAsync($"flow_runs/{runId}/input/paused-1-response");
        var accepted = (await api.PostAsync($"flow_runs/{runId}/resume", new { run_input = new { name = "Ada" } })).Expect(HttpStatusCode.Created).Object;
        var response = (await api.GetAsync($"flow_runs/{runId}/input/paused-1-response")).Expect(HttpStatusCode.OK);

        Assert.Equal("ACCEPT", paused["status"]!.GetValue<string>());
        Assert.Equal("paused-1-response", paused["state"]!["state_details"]!["run_input_keyset"]!["response"]!.GetValue<string>());
        Assert.Equal("REJECT", noInput["status"]!.GetValue<string>());
        Assert.Equal("REJECT", wrong["status"]!.GetValue<string>());
        Assert.Contains("name", wrong["details"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("PAUSED", stillPaused["state"]!["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, noResponseYet.Status);
        Assert.Equal("ACCEPT", accepted["status"]!.GetValue<string>());
        Assert.Equal("RUNNING", accepted["state"]!["type"]!.GetValue<string>());
        Assert.Equal("Ada", JsonNode.Parse(response.Text)!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Resume_PausedForInputWithoutSchema_Rejects(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowId = await api.CreateFlowAsync("no-schema-" + Guid.NewGuid().ToString("N")[..8]);
        var runId = PrefectApi.IdOf(await api.CreateFlowRunAsync(flowId, state: "RUNNING"));
        (await api.PostAsync($"flow_runs/{runId}/set_state", """
            {"state": {"type": "PAUSED", "state_details": {"pause_key": "2", "run_input_keyset": {"response": "paused-2-response", "schema": "paused-2-schema"}}}}
            """)).Expect(HttpStatusCode.Created);

        var answer = (await api.PostAsync($"flow_runs/{runId}/resume", new { run_input = new { name = "Ada" } })).Expect(HttpStatusCode.OK).Object;

        Assert.Equal("REJECT", answer["status"]!.GetValue<string>());
        Assert.Equal("Run input schema not found.", answer["details"]!["reason"]!.GetValue<string>());
    }
}
