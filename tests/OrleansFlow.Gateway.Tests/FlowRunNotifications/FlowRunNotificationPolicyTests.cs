using System.Net;
using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Tests.Infrastructure;
using OrleansFlow.Testing;

namespace OrleansFlow.Gateway.Tests.FlowRunNotifications;

/// <summary>Prefect 2's <c>/flow_run_notification_policies</c> routes on both databases: the policy's life, its checks,
/// and delivery end to end (a real server, runs failed through the API, a local HTTP receiver as the webhook).</summary>
public sealed class FlowRunNotificationPolicyTests(ServerPool servers) : IClassFixture<ServerPool>
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Policy_CreateReadFilterUpdateDelete_BehavesAsPrefects(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var block = await api.CreateBlockDocumentAsync("slack-webhook", "frnp-" + Guid.NewGuid().ToString("N")[..8], new JsonObject { ["url"] = "https://example.invalid/hook" });

        var created = (await api.PostAsync("flow_run_notification_policies/", new
        {
            state_names = new[] { "Failed", "Crashed" },
            tags = new[] { "prod" },
            block_document_id = block,
            message_template = "{flow_run_name} is {flow_run_state_name}",
        })).Expect(HttpStatusCode.Created).Object;
        var id = Guid.Parse(created["id"]!.GetValue<string>());
        var read = (await api.GetAsync($"flow_run_notification_policies/{id}")).Expect(HttpStatusCode.OK).Object;

        Assert.True(read["is_active"]!.GetValue<bool>());
        Assert.Equal(["Failed", "Crashed"], read["state_names"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["prod"], read["tags"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(block.ToString(), read["block_document_id"]!.GetValue<string>());
        Assert.Equal("{flow_run_name} is {flow_run_state_name}", read["message_template"]!.GetValue<string>());
        Assert.NotNull(read["created"]);

        // Paused, then the template cleared: only the fields sent change, and a null one (but the template) changes nothing.
        (await api.PatchAsync($"flow_run_notification_policies/{id}", new { is_active = false })).Expect(HttpStatusCode.NoContent);
        (await api.PatchAsync($"flow_run_notification_policies/{id}", new Dictionary<string, object?> { ["message_template"] = null, ["tags"] = null, ["is_active"] = null })).Expect(HttpStatusCode.NoContent);
        var paused = (await api.GetAsync($"flow_run_notification_policies/{id}")).Expect(HttpStatusCode.OK).Object;
        Assert.False(paused["is_active"]!.GetValue<bool>());
        Assert.Null(paused["message_template"]);
        Assert.Equal(["prod"], paused["tags"]!.AsArray().Select(n => n!.GetValue<string>()));

        // Prefect's filter: no filter object lists all; a filter object without is_active lists the paused ones.
        var all = await PolicyIdsAsync(api, new { limit = 200 });
        var pausedOnes = await PolicyIdsAsync(api, new { flow_run_notification_policy_filter = new { } });
        var activeOnes = await PolicyIdsAsync(api, new { flow_run_notification_policy_filter = new { is_active = new { eq_ = true } } });
        Assert.Contains(id, all);
        Assert.Contains(id, pausedOnes);
        Assert.DoesNotContain(id, activeOnes);

        (await api.DeleteAsync($"flow_run_notification_policies/{id}")).Expect(HttpStatusCode.NoContent);
        (await api.GetAsync($"flow_run_notification_policies/{id}")).Expect(HttpStatusCode.NotFound);
        (await api.PatchAsync($"flow_run_notification_policies/{id}", new { is_active = true })).Expect(HttpStatusCode.NotFound);
        (await api.DeleteAsync($"flow_run_notification_policies/{id}")).Expect(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{\"state_names\": [], \"tags\": [], \"block_document_id\": \"BLOCK\", \"message_template\": \"{flow_run_name} {nope}\"}", "body.message_template", "Invalid template variable provided: 'nope'")]
    [InlineData("{\"state_names\": [], \"tags\": [], \"block_document_id\": \"BLOCK\", \"message_template\": \"{flow_run_name\"}", "body.message_template", "Single '{' encountered in format string")]
    [InlineData("{\"state_names\": [], \"tags\": [], \"block_document_id\": \"BLOCK\", \"message_template\": \"{0}\"}", "body.message_template", "Positional placeholders")]
    [InlineData("{\"state_names\": [], \"tags\": [], \"block_document_id\": \"BLOCK\", \"message_template\": \"{flow_name!r}\"}", "body.message_template", "Only plain placeholders")]
    [InlineData("{\"tags\": [], \"block_document_id\": \"BLOCK\"}", "body.state_names", "field required")]
    [InlineData("{\"state_names\": [1], \"tags\": [], \"block_document_id\": \"BLOCK\"}", "body.state_names.0", "str type expected")]
    [InlineData("{\"state_names\": [], \"tags\": [], \"block_document_id\": \"nope\"}", "body.block_document_id", "value is not a valid uuid")]
    [InlineData("{\"state_names\": [], \"tags\": [], \"block_document_id\": \"BLOCK\", \"is_active\": null}", "body.is_active", "none is not an allowed value")]
    [InlineData("{\"state_names\": [], \"tags\": [], \"block_document_id\": \"BLOCK\", \"colour\": 1}", "body.colour", "extra fields not permitted")]
    public async Task CreatePolicy_BadField_Is422NamingItAndStoresNothing(string body, string location, string message)
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var block = await api.CreateBlockDocumentAsync("slack-webhook", "bad-" + Guid.NewGuid().ToString("N")[..8], new JsonObject { ["url"] = "https://example.invalid/hook" });
        var before = (await PolicyIdsAsync(api, new { })).Count + (await PolicyIdsAsync(api, new { flow_run_notification_policy_filter = new { is_active = new { eq_ = true } } })).Count;

        var response = (await api.PostAsync("flow_run_notification_policies/", body.Replace("BLOCK", block.ToString(), StringComparison.Ordinal)))
            .Expect(HttpStatusCode.UnprocessableEntity);

        Assert.Equal([location], response.ErrorLocations);
        Assert.Contains(message, response.Object["exception_detail"]![0]!["msg"]!.GetValue<string>(), StringComparison.Ordinal);
        var after = (await PolicyIdsAsync(api, new { })).Count + (await PolicyIdsAsync(api, new { flow_run_notification_policy_filter = new { is_active = new { eq_ = true } } })).Count;
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task CreatePolicy_UnknownBlock_Is409_AndFilterLimitOver200_Is422()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);

        (await api.PostAsync("flow_run_notification_policies/", new { state_names = Array.Empty<string>(), tags = Array.Empty<string>(), block_document_id = Guid.NewGuid() }))
            .Expect(HttpStatusCode.Conflict);
        var limit = (await api.PostAsync("flow_run_notification_policies/filter", new { limit = 201 })).Expect(HttpStatusCode.UnprocessableEntity);
        var filter = (await api.PostAsync("flow_run_notification_policies/filter", new { flow_run_notification_policy_filter = new { is_active = new { eq_ = "yes" } } }))
            .Expect(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["body.limit"], limit.ErrorLocations);
        Assert.Equal(["body.flow_run_notification_policy_filter.is_active.eq_"], filter.ErrorLocations);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task FlowRunEntersAWatchedState_WithAWatchedTag_SendsTheRenderedMessageOnce(DatabaseKind kind)
    {
        await using var postgres = kind == DatabaseKind.Postgres ? await PostgresServer.CreateDatabaseAsync() : null;
        await using var server = await InProcessServer.StartAsync(postgres?.Options());
        await using var receiver = HttpTestReceiver.Start();
        var api = new PrefectApi(new HttpClient { BaseAddress = server.BaseAddress });
        var flowName = "etl-" + Guid.NewGuid().ToString("N")[..8];
        var flowId = await api.CreateFlowAsync(flowName);
        var webhook = await api.CreateBlockDocumentAsync("webhook", "pager", new JsonObject { ["url"] = receiver.Url + "hook" });
        var policy = (await api.PostAsync("flow_run_notification_policies/", new
        {
            state_names = new[] { "Failed" },
            tags = new[] { "nightly", "weekly" },
            block_document_id = webhook,
            message_template = "{flow_name}/{flow_run_name} {flow_run_state_type} ({flow_run_state_name}): {flow_run_state_message} " +
                "params={flow_run_parameters} url={flow_run_url} policy={flow_run_notification_policy_id} run={flow_run_id} flow={flow_id} {{literal}}",
        })).Expect(HttpStatusCode.Created).Id;
        // A paused policy that would match every run sends nothing.
        (await api.PostAsync("flow_run_notification_policies/", new { is_active = false, state_names = Array.Empty<string>(), tags = Array.Empty<string>(), block_document_id = webhook }))
            .Expect(HttpStatusCode.Created);
        await EventDispatch.RunningAsync(api);

        var tagged = await api.CreateFlowRunAsync(flowId, name: "tagged", state: "RUNNING", tags: ["nightly", "other"]);
        var untagged = await api.CreateFlowRunAsync(flowId, name: "untagged", state: "RUNNING", tags: ["adhoc"]);
        var completed = await api.CreateFlowRunAsync(flowId, name: "completed", state: "RUNNING", tags: ["nightly"]);
        var last = await api.CreateFlowRunAsync(flowId, name: "last", state: "RUNNING", tags: ["weekly"]);
        (await api.PostAsync($"flow_runs/{PrefectApi.IdOf(tagged)}/set_state", new { state = new { type = "FAILED", message = "disk full" } })).Expect(HttpStatusCode.Created);
        await api.AcceptStateAsync("flow_runs", PrefectApi.IdOf(untagged), "FAILED");
        await api.AcceptStateAsync("flow_runs", PrefectApi.IdOf(completed), "COMPLETED");
        await api.AcceptStateAsync("flow_runs", PrefectApi.IdOf(last), "FAILED");

        // The last run's message comes after the first's: the untagged and the completed runs were never queued.
        await receiver.WaitForAsync(2);
        var messages = receiver.Requests.Select(r => r.Body).ToList();
        var runId = PrefectApi.IdOf(tagged);
        Assert.Equal(2, messages.Count);
        Assert.Equal(
            $"{flowName}/tagged FAILED (Failed): disk full params={{'x': 1}} url=http://127.0.0.1:4200/runs/{runId} policy={policy} run={runId} flow={flowId} {{literal}}",
            messages[0]);
        Assert.StartsWith($"{flowName}/last FAILED (Failed): None ", messages[1], StringComparison.Ordinal);
        Assert.All(receiver.Requests, r => Assert.StartsWith("text/plain", r.Header("Content-Type"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task PolicyWithoutTemplate_SendsPrefectsDefaultMessage_ThroughANotificationBlock()
    {
        await using var server = await InProcessServer.StartAsync();
        await using var receiver = HttpTestReceiver.Start();
        var api = new PrefectApi(new HttpClient { BaseAddress = server.BaseAddress });
        var flowId = await api.CreateFlowAsync("default-template");
        var slack = await api.CreateBlockDocumentAsync("slack-webhook", "ops", new JsonObject { ["url"] = receiver.Url + "slack" });
        (await api.PostAsync("flow_run_notification_policies/", new { state_names = new[] { "Completed" }, tags = Array.Empty<string>(), block_document_id = slack }))
            .Expect(HttpStatusCode.Created);
        await EventDispatch.RunningAsync(api);

        var run = await api.CreateFlowRunAsync(flowId, name: "quiet-run", state: "RUNNING");
        var state = (await api.AcceptStateAsync("flow_runs", PrefectApi.IdOf(run), "COMPLETED"))["state"]!;
        var text = JsonNode.Parse((await receiver.WaitForAsync()).Body)!["text"]!.GetValue<string>();

        var timestamp = DateTimeOffset.Parse(state["timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            $"*Prefect flow run notification*\n\nFlow run default-template/quiet-run entered state `Completed` at {OrleansFlow.Grains.Json.UtcTimeText.Prefect(timestamp)}.\n\n" +
            $"Flow ID: {flowId}\nFlow run ID: {PrefectApi.IdOf(run)}\nFlow run URL: http://127.0.0.1:4200/runs/{PrefectApi.IdOf(run)}\nState message: None\n",
            text);
    }

    private static async Task<List<Guid>> PolicyIdsAsync(PrefectApi api, object body) =>
        [.. (await api.PostAsync("flow_run_notification_policies/filter", body)).Expect(HttpStatusCode.OK).Array.Select(p => Guid.Parse(p!["id"]!.GetValue<string>()))];
}
