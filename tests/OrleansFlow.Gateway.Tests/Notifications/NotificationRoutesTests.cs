using System.Net;
using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Tests.Infrastructure;
using OrleansFlow.Gateway.Tests.Security;
using OrleansFlow.Testing;

namespace OrleansFlow.Gateway.Tests.Notifications;

/// <summary>The notification block types over the block API, and <c>POST /api/notifications/test</c>, on a real server
/// (SQLite and PostgreSQL) with a local HTTP receiver and a local SMTP server.</summary>
public sealed class NotificationRoutesTests
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task NotificationBlocks_SeededAndTestSendsRenderedTemplates(DatabaseKind kind)
    {
        await using var postgres = kind == DatabaseKind.Postgres ? await PostgresServer.CreateDatabaseAsync() : null;
        await using var server = await InProcessServer.StartAsync(postgres?.Options());
        await using var receiver = HttpTestReceiver.Start();
        var api = Api(server);

        foreach (var slug in new[] { "webhook", "custom-webhook", "slack-webhook", "ms-teams-webhook", "email" })
        {
            (await api.GetAsync($"block_types/slug/{slug}")).Expect(HttpStatusCode.OK);
        }

        Assert.Contains("notify", (await api.GetAsync("block_capabilities/")).Expect(HttpStatusCode.OK).Array.Select(c => c!.GetValue<string>()));
        var id = await api.CreateBlockDocumentAsync("custom-webhook", "ops-hook", new JsonObject
        {
            ["name"] = "ops",
            ["url"] = receiver.Url + "notify",
            ["json_data"] = new JsonObject { ["title"] = "{{subject}}", ["text"] = "{{body}}", ["key"] = "{{apiKey}}" },
            ["secrets"] = new JsonObject { ["apiKey"] = "k-42" },
        });
        var shown = (await api.GetAsync($"block_documents/{id}")).Expect(HttpStatusCode.OK).Object;
        Assert.Equal("********", shown["data"]!["secrets"]!["apiKey"]!.GetValue<string>());

        var result = (await api.PostAsync("notifications/test", new
        {
            block_document_id = id,
            subject = "{{ flow.name | upper }}",
            body = "{% if flow_run.state.type == 'COMPLETED' %}{{ flow_run.name }} done{% else %}not done{% endif %} ({{ event.event }})",
        })).Expect(HttpStatusCode.OK).Object;

        Assert.Equal((true, 200), (result["ok"]!.GetValue<bool>(), result["status_code"]!.GetValue<int>()));
        Assert.Equal("EXAMPLE-FLOW", result["subject"]!.GetValue<string>());
        var sent = JsonNode.Parse((await receiver.WaitForAsync()).Body)!;
        Assert.Equal("EXAMPLE-FLOW", sent["title"]!.GetValue<string>());
        Assert.Equal("example-flow-run done (orleansflow.notification.test)", sent["text"]!.GetValue<string>());
        Assert.Equal("k-42", sent["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task TestRoute_EmailBlock_SendsSampleMessage()
    {
        await using var server = await InProcessServer.StartAsync();
        await using var smtp = SmtpTestServer.Start();
        var api = Api(server);
        var id = await api.CreateBlockDocumentAsync("email", "ops-mail", new JsonObject
        {
            ["smtp_server"] = "127.0.0.1",
            ["smtp_port"] = smtp.Port,
            ["smtp_type"] = "INSECURE",
            ["username"] = "u",
            ["password"] = "p",
            ["email_from"] = "flows@example.com",
            ["email_to"] = new JsonArray("ops@example.com"),
        });
        Assert.Equal("********", (await api.GetAsync($"block_documents/{id}")).Expect(HttpStatusCode.OK).Object["data"]!["password"]!.GetValue<string>());

        var result = (await api.PostAsync("notifications/test", new { block_document_id = id })).Expect(HttpStatusCode.OK).Object;

        Assert.True(result["ok"]!.GetValue<bool>(), result.ToJsonString());
        var mail = Assert.Single(smtp.Messages);
        Assert.Equal("OrleansFlow test notification", mail.Header("Subject"));
        Assert.Equal("Flow run example-flow-run of flow example-flow entered state Completed.\r\nThis is a test notification from OrleansFlow.", mail.Body);
        Assert.Equal(("u", "p"), (mail.LoginUser, mail.LoginPassword));
    }

    [Fact]
    public async Task TestRoute_WebhookAnswering500_FailedResultNotAnError()
    {
        await using var server = await InProcessServer.StartAsync();
        await using var receiver = HttpTestReceiver.Start();
        receiver.Status = 500;
        var api = Api(server);
        var id = await api.CreateBlockDocumentAsync("webhook", "hook", new JsonObject { ["url"] = receiver.Url });

        var result = (await api.PostAsync("notifications/test", new { block_document_id = id })).Expect(HttpStatusCode.OK).Object;

        Assert.Equal((false, 500), (result["ok"]!.GetValue<bool>(), result["status_code"]!.GetValue<int>()));
        var payload = JsonNode.Parse((await receiver.WaitForAsync()).Body)!;
        Assert.Equal(("orleansflow.notification.test", true), (payload["event"]!.GetValue<string>(), payload["test"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task TestRoute_BadInput_422NamingTheField()
    {
        await using var server = await InProcessServer.StartAsync();
        var api = Api(server);
        var id = await api.CreateBlockDocumentAsync("slack-webhook", "slack", new JsonObject { ["url"] = "http://127.0.0.1:9/" });
        var json = await api.CreateBlockDocumentAsync("json", "plain-json", new JsonObject { ["value"] = 1 });

        var badBody = await api.PostAsync("notifications/test", new { block_document_id = id, body = "ok\n{% if flow_run.name %}never closed" });
        var badSubject = await api.PostAsync("notifications/test", new { block_document_id = id, subject = "{{ flow.name | shout }}" });
        var missing = await api.PostAsync("notifications/test", new { body = "x" });
        var notNotify = await api.PostAsync("notifications/test", new { block_document_id = json });
        var unknown = await api.PostAsync("notifications/test", new { block_document_id = Guid.NewGuid() });

        badBody.Expect(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["body.body"], badBody.ErrorLocations);
        Assert.Equal("'body' is not a valid template: Unclosed 'if': missing '{% endif %}' (line 2, column 1)", Message(badBody));
        badSubject.Expect(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["body.subject"], badSubject.ErrorLocations);
        Assert.Equal("'subject' is not a valid template: Unknown filter 'shout' (line 1, column 16)", Message(badSubject));
        Assert.Equal(["body.block_document_id"], missing.Expect(HttpStatusCode.UnprocessableEntity).ErrorLocations);
        Assert.Equal(["body.block_document_id"], notNotify.Expect(HttpStatusCode.UnprocessableEntity).ErrorLocations);
        unknown.Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TestRoute_WithApiKeys_NeedsAnAdmin()
    {
        await using var server = await AuthServer.StartAsync(DatabaseKind.Sqlite);
        await using var receiver = HttpTestReceiver.Start();
        var runner = (await server.CreateKeyAsync("runner")).Key;
        var type = (await server.AsAsync(AuthServer.AdminKey, HttpMethod.Get, "block_types/slug/webhook")).Expect(HttpStatusCode.OK).Object;
        var schemas = (await server.AsAsync(AuthServer.AdminKey, HttpMethod.Post, "block_schemas/filter",
            new { block_schemas = new { block_type_id = new { any_ = new[] { PrefectApi.IdOf(type) } } } })).Expect(HttpStatusCode.OK).Array;
        var id = (await server.AsAsync(AuthServer.AdminKey, HttpMethod.Post, "block_documents/", new
        {
            name = "auth-hook",
            block_type_id = PrefectApi.IdOf(type),
            block_schema_id = PrefectApi.IdOf(schemas[0]!),
            data = new { url = receiver.Url },
        })).Expect(HttpStatusCode.Created).Id;

        (await server.AsAsync(runner, HttpMethod.Post, "notifications/test", new { block_document_id = id })).Expect(HttpStatusCode.Forbidden);
        var result = (await server.AsAsync(AuthServer.AdminKey, HttpMethod.Post, "notifications/test", new { block_document_id = id })).Expect(HttpStatusCode.OK).Object;

        Assert.True(result["ok"]!.GetValue<bool>());
        Assert.Single(receiver.Requests);
    }

    private static string Message(ApiResponse response) => response.Object["exception_detail"]![0]!["msg"]!.GetValue<string>();

    private static PrefectApi Api(InProcessServer server) => new(new HttpClient { BaseAddress = server.BaseAddress });
}
