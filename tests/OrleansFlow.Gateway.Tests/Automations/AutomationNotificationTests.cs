using System.Net;
using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Tests.Infrastructure;
using OrleansFlow.Testing;
using Xunit.Abstractions;

namespace OrleansFlow.Gateway.Tests.Automations;

/// <summary>The <c>call-webhook</c> and <c>send-notification</c> actions end to end: a real server (SQLite and
/// PostgreSQL), a flow run failed through the API, the automation's templates rendered against the run, and a local
/// HTTP receiver standing in for the webhook and for Slack.</summary>
public sealed class AutomationNotificationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task FailedFlowRun_CallsTheWebhookAndSendsTheNotification_WithTemplatedBodies(DatabaseKind kind)
    {
        await using var postgres = kind == DatabaseKind.Postgres ? await PostgresServer.CreateDatabaseAsync() : null;
        await using var server = await InProcessServer.StartAsync(postgres?.Options());
        await using var receiver = HttpTestReceiver.Start();
        var api = new PrefectApi(new HttpClient { BaseAddress = server.BaseAddress });
        var flowName = "nightly-" + Guid.NewGuid().ToString("N")[..8];
        var flowId = await api.CreateFlowAsync(flowName);
        var webhook = await api.CreateBlockDocumentAsync("webhook", "pager", new JsonObject
        {
            ["method"] = "POST",
            ["url"] = receiver.Url + "hook",
            ["headers"] = new JsonObject { ["X-Pager-Token"] = "t-7" },
        });
        var slack = await api.CreateBlockDocumentAsync("slack-webhook", "ops-channel", new JsonObject { ["url"] = receiver.Url + "slack" });
        var automation = new JsonObject
        {
            ["name"] = "page on failure",
            ["trigger"] = new JsonObject
            {
                ["posture"] = "Reactive",
                ["expect"] = new JsonArray("prefect.flow-run.Failed"),
                ["match_related"] = new JsonObject { ["prefect.resource.id"] = $"prefect.flow.{flowId}" },
                ["for_each"] = new JsonArray("prefect.resource.id"),
            },
            ["actions"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "call-webhook",
                    ["block_document_id"] = webhook.ToString(),
                    ["payload"] = """
                        {"flow": "{{ flow.name }}", "run": "{{ flow_run.name }}", "state": "{{ flow_run.state.name | upper }}",
                         "event": "{{ event.event }}", "automation": "{{ automation.name }}", "run_label": "{{ labels['prefect.resource.id'] }}"}
                        """,
                },
                new JsonObject
                {
                    ["type"] = "send-notification",
                    ["block_document_id"] = slack.ToString(),
                    ["subject"] = "{{ flow.name }} failed",
                    ["body"] = "{% if flow_run.state.type == 'FAILED' %}Run {{ flow_run.name }} failed{% else %}?{% endif %}",
                }),
        };
        var automationId = (await api.PostAsync("automations/", automation.ToJsonString())).Expect(HttpStatusCode.Created).Id;

        await EventDispatch.RunningAsync(api);
        var run = await api.CreateFlowRunAsync(flowId, name: "run-" + Guid.NewGuid().ToString("N")[..6], state: "RUNNING");
        var runName = run["name"]!.GetValue<string>();
        var failedAt = DateTimeOffset.UtcNow;
        (await api.SetStateAsync("flow_runs", PrefectApi.IdOf(run), "FAILED")).Expect(HttpStatusCode.Created);
        var hook = await receiver.WaitForAsync();

        var body = JsonNode.Parse(hook.Body)!.AsObject();
        Assert.Equal("/hook", hook.PathAndQuery);
        Assert.Equal(runName, body["run"]!.GetValue<string>());
        Assert.Equal(flowName, body["flow"]!.GetValue<string>());
        Assert.Equal("FAILED", body["state"]!.GetValue<string>());
        Assert.Equal("prefect.flow-run.Failed", body["event"]!.GetValue<string>());
        Assert.Equal("page on failure", body["automation"]!.GetValue<string>());
        Assert.StartsWith("prefect.flow-run.", body["run_label"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("t-7", hook.Header("X-Pager-Token"));
        Assert.StartsWith("application/json", hook.Header("Content-Type"), StringComparison.Ordinal);
        output.WriteLine($"{kind}: run failed → webhook received in {(hook.Received - failedAt).TotalMilliseconds:0} ms " +
            "(a commit of events wakes the dispatcher, at most every 100 ms)");

        // The firing ends with both actions done, each sent once.
        var firing = Assert.Single(await FinishedFiringsAsync(api, automationId, 1));
        Assert.Equal("completed", firing["status"]!.GetValue<string>());
        Assert.Equal(["completed", "completed"], firing["action_results"]!.AsArray().Select(r => r!["status"]!.GetValue<string>()));
        Assert.Equal(["/hook", "/slack"], receiver.Requests.Select(r => r.PathAndQuery));
        var message = receiver.Requests[1];
        Assert.Equal($"*{flowName} failed*\nRun {runName} failed", JsonNode.Parse(message.Body)!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task ActionsThatFail_AreRecordedWithTheReason_AndTheOthersStillRun()
    {
        await using var server = await InProcessServer.StartAsync();
        await using var receiver = HttpTestReceiver.Start();
        receiver.Status = 404;
        var api = new PrefectApi(new HttpClient { BaseAddress = server.BaseAddress });
        var flowId = await api.CreateFlowAsync("broken-" + Guid.NewGuid().ToString("N")[..8]);
        var webhook = await api.CreateBlockDocumentAsync("webhook", "gone", new JsonObject { ["url"] = receiver.Url + "gone" });
        var json = await api.CreateBlockDocumentAsync("json", "not-a-notifier", new JsonObject { ["value"] = 1 });
        var automation = new JsonObject
        {
            ["name"] = "fails",
            ["trigger"] = new JsonObject
            {
                ["posture"] = "Reactive",
                ["expect"] = new JsonArray("prefect.flow-run.Failed"),
                ["match_related"] = new JsonObject { ["prefect.resource.id"] = $"prefect.flow.{flowId}" },
            },
            ["actions"] = new JsonArray(
                new JsonObject { ["type"] = "call-webhook", ["block_document_id"] = webhook.ToString(), ["payload"] = "{{ flow_run.name }}" },
                new JsonObject { ["type"] = "send-notification", ["block_document_id"] = json.ToString(), ["body"] = "x" },
                new JsonObject { ["type"] = "call-webhook", ["block_document_id"] = webhook.ToString(), ["payload"] = "{{ flow_run.no_such_field + 1 }}" },
                new JsonObject { ["type"] = "do-nothing" }),
        };
        var automationId = (await api.PostAsync("automations/", automation.ToJsonString())).Expect(HttpStatusCode.Created).Id;

        await EventDispatch.RunningAsync(api);
        var run = PrefectApi.IdOf(await api.CreateFlowRunAsync(flowId, state: "RUNNING"));
        (await api.SetStateAsync("flow_runs", run, "FAILED")).Expect(HttpStatusCode.Created);

        var firing = Assert.Single(await FinishedFiringsAsync(api, automationId, 1));
        Assert.Equal("failed", firing["status"]!.GetValue<string>());
        var results = firing["action_results"]!.AsArray();
        Assert.Equal(["failed", "failed", "failed", "completed"], results.Select(r => r!["status"]!.GetValue<string>()));
        Assert.Contains("HTTP 404", Detail(results[0]!), StringComparison.Ordinal);
        Assert.Contains("not a notification block", Detail(results[1]!), StringComparison.Ordinal);
        Assert.StartsWith("The 'payload' template could not be rendered", Detail(results[2]!), StringComparison.Ordinal);
        // A 404 is not tried again, and the unrenderable payload is never sent.
        Assert.Single(receiver.Requests);
    }

    [Theory]
    [InlineData("actions", "payload", "{{ flow_run.name ", "'payload' is not a valid template")]
    [InlineData("actions_on_trigger", "body", "{% if x %}no end", "'body' is not a valid template: Unclosed 'if'")]
    [InlineData("actions_on_resolve", "subject", "{{ x | shout }}", "'subject' is not a valid template: Unknown filter 'shout'")]
    public async Task CreateAutomation_InvalidTemplate_Is422NamingTheField(string list, string field, string template, string message)
    {
        await using var server = await InProcessServer.StartAsync();
        var api = new PrefectApi(new HttpClient { BaseAddress = server.BaseAddress });
        var action = field == "payload"
            ? new JsonObject { ["type"] = "call-webhook", ["block_document_id"] = Guid.NewGuid().ToString(), ["payload"] = template }
            : new JsonObject { ["type"] = "send-notification", ["block_document_id"] = Guid.NewGuid().ToString(), ["body"] = "ok", [field] = template };
        var automation = new JsonObject
        {
            ["name"] = "bad template",
            ["trigger"] = new JsonObject { ["posture"] = "Reactive", ["expect"] = new JsonArray("prefect.flow-run.Failed") },
            ["actions"] = new JsonArray(new JsonObject { ["type"] = "do-nothing" }),
        };
        automation[list] = new JsonArray(new JsonObject { ["type"] = "do-nothing" }, action);

        var response = (await api.PostAsync("automations/", automation.ToJsonString())).Expect(HttpStatusCode.UnprocessableEntity);

        Assert.Equal([$"body.{list}.1.{field}"], response.ErrorLocations);
        Assert.StartsWith(message, response.Object["exception_detail"]![0]!["msg"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await api.CountAsync("automations"));
    }

    /// <summary>The automation's firings once <paramref name="count"/> exist and none is pending.</summary>
    private static async Task<List<JsonNode>> FinishedFiringsAsync(PrefectApi api, Guid automationId, int count)
    {
        JsonArray firings = [];
        await Poll.UntilAsync(async () =>
        {
            firings = (await api.GetAsync($"automations/{automationId}/firings")).Expect(HttpStatusCode.OK).Array;
            return firings.Count >= count && firings.All(f => f!["status"]!.GetValue<string>() != "pending");
        }, TimeSpan.FromSeconds(30), $"{count} finished firing(s) of automation {automationId}");
        return [.. firings.Select(f => f!)];
    }

    private static string Detail(JsonNode result) => result["detail"]!.GetValue<string>();
}
