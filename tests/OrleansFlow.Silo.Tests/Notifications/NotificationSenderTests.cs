using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrleansFlow.Grains.Events;
using OrleansFlow.Silo.Blocks;
using OrleansFlow.Silo.Flows;
using OrleansFlow.Silo.Notifications;
using OrleansFlow.Silo.Notifications.Templates;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Testing;

namespace OrleansFlow.Silo.Tests.Notifications;

/// <summary>The sender against a real SQLite store (block documents with sealed secrets), a local HTTP receiver and a
/// local SMTP server.</summary>
public sealed class NotificationSenderTests : IAsyncLifetime
{
    private static readonly Dictionary<string, (Guid Type, Guid Schema)> Blocks = new()
    {
        ["webhook"] = (Guid.Parse("fc36a36b-9762-40a6-8c90-1c089cb2a6b0"), Guid.Parse("90b62549-53f4-4335-abed-273bd1bf9a26")),
        ["custom-webhook"] = (Guid.Parse("541a3b67-7342-4e04-a3de-c3fa269cb8ea"), Guid.Parse("d4488c7c-f1b8-47a7-a90b-2ffd61fd09cd")),
        ["slack-webhook"] = (Guid.Parse("c2101c83-a47e-42a7-8aad-49e154ceb9a2"), Guid.Parse("88fcb2bf-4ae7-4b82-8a48-3bef579476a6")),
        ["ms-teams-webhook"] = (Guid.Parse("18d03869-43c4-4208-a764-adb8983ce12c"), Guid.Parse("e295a766-53e5-404c-8b1b-0f8d37785b2f")),
        ["email"] = (Guid.Parse("2bd50575-7b69-49c1-8381-1c53291f25a4"), Guid.Parse("51d8a6a5-36a1-4045-91e7-a938295ebc40")),
    };

    private readonly SqliteFiles _files = new();
    private OrleansFlowSilo _silo = null!;
    private ServiceProvider _services = null!;
    private HttpTestReceiver _receiver = null!;
    private NotificationSender _sender = null!;

    public async Task InitializeAsync()
    {
        _silo = await OrleansFlowSilo.OpenAsync(_files.NewDatabase());
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(_silo)
            .AddOrleansFlowNotifications(new NotificationOptions { RetryDelay = TimeSpan.FromMilliseconds(10), Timeout = TimeSpan.FromSeconds(10) })
            .BuildServiceProvider();
        _sender = _services.GetRequiredService<NotificationSender>();
        _receiver = HttpTestReceiver.Start();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _services.DisposeAsync();
        await _silo.DisposeAsync();
        _files.Dispose();
    }

    [Fact]
    public async Task SendAsync_SlackWebhook_PostsTextPayload()
    {
        var id = await CreateAsync("slack-webhook", new JsonObject { ["url"] = _receiver.Url + "services/T/B/X" });

        var result = await _sender.SendAsync(id, "Run failed", "Flow <etl> & friends", CancellationToken.None);

        Assert.Equal((true, 200, 1), (result.Ok, result.StatusCode, result.Attempts));
        var request = await _receiver.WaitForAsync();
        Assert.Equal(("POST", "/services/T/B/X"), (request.Method, request.PathAndQuery));
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("*Run failed*\nFlow &lt;etl&gt; &amp; friends", JsonNode.Parse(request.Body)!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendAsync_TeamsWebhook_PostsAdaptiveCard()
    {
        var id = await CreateAsync("ms-teams-webhook", new JsonObject { ["url"] = _receiver.Url + "workflows/1", ["notify_type"] = "failure", ["include_image"] = false });

        var result = await _sender.SendAsync(id, "Run failed", "details", CancellationToken.None);

        Assert.True(result.Ok, result.Error);
        var message = JsonNode.Parse((await _receiver.WaitForAsync()).Body)!;
        Assert.Equal("message", message["type"]!.GetValue<string>());
        var attachment = message["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        var card = attachment["content"]!;
        Assert.Equal("AdaptiveCard", card["type"]!.GetValue<string>());
        Assert.Equal(("Run failed", "Attention"), (card["body"]![0]!["text"]!.GetValue<string>(), card["body"]![0]!["color"]!.GetValue<string>()));
        Assert.Equal("details", card["body"]![1]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendAsync_CustomWebhook_SubstitutesSubjectBodyNameAndSecrets()
    {
        var id = await CreateAsync("custom-webhook", new JsonObject
        {
            ["name"] = "ops",
            ["url"] = _receiver.Url + "hook/{{name}}",
            ["method"] = "PUT",
            ["params"] = new JsonObject { ["channel"] = "{{name}}" },
            ["json_data"] = new JsonObject { ["text"] = "{{subject}}\n{{body}}", ["token"] = "{{token}}", ["n"] = 3, ["nested"] = new JsonArray("{{ name }}") },
            ["headers"] = new JsonObject { ["Authorization"] = "Bearer {{token}}", ["X-Kind"] = "notification" },
            ["cookies"] = new JsonObject { ["session"] = "{{token}}" },
            ["secrets"] = new JsonObject { ["token"] = "s3cr3t" },
        });

        var result = await _sender.SendAsync(id, "Subject \"quoted\"", "Body", CancellationToken.None);

        Assert.True(result.Ok, result.Error);
        var request = await _receiver.WaitForAsync();
        Assert.Equal(("PUT", "/hook/ops?channel=ops"), (request.Method, request.PathAndQuery));
        Assert.Equal("Bearer s3cr3t", request.Header("Authorization"));
        Assert.Equal("notification", request.Header("X-Kind"));
        Assert.Equal("session=s3cr3t", request.Header("Cookie"));
        var json = JsonNode.Parse(request.Body)!;
        Assert.Equal("Subject \"quoted\"\nBody", json["text"]!.GetValue<string>());
        Assert.Equal("s3cr3t", json["token"]!.GetValue<string>());
        Assert.Equal(3, json["n"]!.GetValue<int>());
        Assert.Equal("ops", json["nested"]![0]!.GetValue<string>());

        // The secrets are secret fields: the API shows them obfuscated.
        var shown = await new BlockDocumentCatalog(_silo).GetAsync(id, includeSecrets: false, CancellationToken.None);
        Assert.Equal(BlockSecrets.Obfuscated, shown!.Data["secrets"]!["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendAsync_CustomWebhookFormData_PostsFormEncoded()
    {
        var id = await CreateAsync("custom-webhook", new JsonObject
        {
            ["name"] = "form",
            ["url"] = _receiver.Url,
            ["form_data"] = new JsonObject { ["message"] = "{{subject}}: {{body}}" },
        });

        Assert.True((await _sender.SendAsync(id, "a&b", "c d", CancellationToken.None)).Ok);

        var request = await _receiver.WaitForAsync();
        Assert.StartsWith("application/x-www-form-urlencoded", request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("message=a%26b%3A+c+d", request.Body);
    }

    [Fact]
    public async Task CallWebhookAsync_Payload_SentWithMethodAndSecretHeaders()
    {
        var id = await CreateAsync("webhook", new JsonObject
        {
            ["url"] = _receiver.Url + "in",
            ["method"] = "PATCH",
            ["headers"] = new JsonObject { ["X-Token"] = "abc" },
        });

        var json = await _sender.CallWebhookAsync(id, """{"state": "Failed"}""", CancellationToken.None);
        var text = await _sender.CallWebhookAsync(id, "plain words", CancellationToken.None);

        Assert.Equal((true, 200, "ok"), (json.Ok, json.StatusCode, json.ResponseBody));
        Assert.True(text.Ok);
        var first = await _receiver.WaitForAsync(1);
        Assert.Equal(("PATCH", "/in", "abc", """{"state": "Failed"}"""), (first.Method, first.PathAndQuery, first.Header("X-Token"), first.Body));
        Assert.StartsWith("application/json", first.Header("Content-Type"), StringComparison.Ordinal);
        var second = await _receiver.WaitForAsync(2);
        Assert.StartsWith("text/plain", second.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("plain words", second.Body);
        var shown = await new BlockDocumentCatalog(_silo).GetAsync(id, includeSecrets: false, CancellationToken.None);
        Assert.Equal((BlockSecrets.Obfuscated, BlockSecrets.Obfuscated), (shown!.Data["url"]!.GetValue<string>(), shown.Data["headers"]!["X-Token"]!.GetValue<string>()));
    }

    [Fact]
    public async Task SendAsync_ReceiverAnswers500_FailedResultWithStatusAndNoRetry()
    {
        _receiver.Status = 500;
        _receiver.ResponseBody = "boom";
        var id = await CreateAsync("slack-webhook", new JsonObject { ["url"] = _receiver.Url });

        var result = await _sender.SendAsync(id, "s", "b", CancellationToken.None);

        Assert.Equal((false, 500, 1, "boom"), (result.Ok, result.StatusCode, result.Attempts, result.ResponseBody));
        Assert.Contains("500", result.Error, StringComparison.Ordinal);
        Assert.Single(_receiver.Requests);
    }

    [Fact]
    public async Task CallWebhookAsync_Receiver503ThenOk_RetriedAndOk()
    {
        _receiver.Statuses.Enqueue(503);
        var id = await CreateAsync("webhook", new JsonObject { ["url"] = _receiver.Url });

        var result = await _sender.CallWebhookAsync(id, null, CancellationToken.None);

        Assert.Equal((true, 200, 2), (result.Ok, result.StatusCode, result.Attempts));
        Assert.Equal(2, _receiver.Requests.Count);
        Assert.Equal("", _receiver.Requests[0].Body);
    }

    [Fact]
    public async Task CallWebhookAsync_NobodyListening_FailsAfterAllAttempts()
    {
        var id = await CreateAsync("webhook", new JsonObject { ["url"] = $"http://127.0.0.1:{FreePort.Next()}/" });

        var result = await _sender.CallWebhookAsync(id, "{}", CancellationToken.None);

        Assert.Equal((false, null, 3), (result.Ok, result.StatusCode, result.Attempts));
        Assert.StartsWith("The request failed", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_PrivateUrlNotAllowed_RefusedWithoutARequest()
    {
        var id = await CreateAsync("slack-webhook", new JsonObject { ["url"] = _receiver.Url, ["allow_private_urls"] = false });

        var result = await _sender.SendAsync(id, "s", "b", CancellationToken.None);

        Assert.False(result.Ok);
        Assert.Contains("private address (127.0.0.1)", result.Error, StringComparison.Ordinal);
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task SendAsync_WrongOrMissingBlock_FailedResult()
    {
        var webhook = await CreateAsync("webhook", new JsonObject { ["url"] = _receiver.Url });
        var slack = await CreateAsync("slack-webhook", new JsonObject { ["url"] = _receiver.Url });
        var missing = Guid.NewGuid();

        Assert.Equal($"Block document {missing} not found", (await _sender.SendAsync(missing, "s", "b", CancellationToken.None)).Error);
        Assert.Contains("is a 'webhook' block, not a notification block", (await _sender.SendAsync(webhook, "s", "b", CancellationToken.None)).Error, StringComparison.Ordinal);
        Assert.Contains("is a 'slack-webhook' block, not a webhook block", (await _sender.CallWebhookAsync(slack, null, CancellationToken.None)).Error, StringComparison.Ordinal);
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task SendAsync_Email_DeliversSubjectFromToBodyAndLogsIn()
    {
        await using var smtp = SmtpTestServer.Start();
        var id = await CreateAsync("email", new JsonObject
        {
            ["smtp_server"] = "127.0.0.1",
            ["smtp_port"] = smtp.Port,
            ["smtp_type"] = "INSECURE",
            ["username"] = "bot",
            ["password"] = "pw-123",
            ["email_from"] = "orleansflow@example.com",
            ["email_to"] = new JsonArray("ops@example.com", "dev@example.com"),
        });

        var result = await _sender.SendAsync(id, "Flow run failed", "Line one\n.leading dot\nLine three", CancellationToken.None);
        var unicode = await _sender.SendAsync(id, "Échec ✗", "Résumé: ✗", CancellationToken.None);

        Assert.Equal((true, 250), (result.Ok, result.StatusCode));
        Assert.True(unicode.Ok, unicode.Error);
        var mail = smtp.Messages[0];
        Assert.Equal("orleansflow@example.com", mail.MailFrom);
        Assert.Equal(["ops@example.com", "dev@example.com"], mail.RcptTo);
        Assert.Equal(("bot", "pw-123"), (mail.LoginUser, mail.LoginPassword));
        Assert.Equal("Flow run failed", mail.Header("Subject"));
        Assert.Equal("orleansflow@example.com", mail.Header("From"));
        Assert.Equal("ops@example.com, dev@example.com", mail.Header("To"));
        Assert.Equal("Line one\r\n.leading dot\r\nLine three", mail.Body);
        Assert.Equal(("Échec ✗", "Résumé: ✗"), (smtp.Messages[1].Header("Subject"), smtp.Messages[1].Body));
        var shown = await new BlockDocumentCatalog(_silo).GetAsync(id, includeSecrets: false, CancellationToken.None);
        Assert.Equal(BlockSecrets.Obfuscated, shown!.Data["password"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("STARTTLS", false)]
    [InlineData("SSL", true)]
    public async Task SendAsync_EmailOverTls_DeliveredWhenVerifyIsOffAndRefusedWhenTheCertificateDoesNotVerify(string type, bool implicitTls)
    {
        await using var smtp = SmtpTestServer.StartWithTls(implicitTls);
        JsonObject Settings(bool verify) => new()
        {
            ["smtp_server"] = "127.0.0.1",
            ["smtp_port"] = smtp.Port,
            ["smtp_type"] = type,
            ["username"] = "bot",
            ["password"] = "pw",
            ["verify"] = verify,
            ["email_from"] = "a@example.com",
            ["email_to"] = new JsonArray("b@example.com"),
        };
        var lenient = await CreateAsync("email", Settings(verify: false));
        var strict = await CreateAsync("email", Settings(verify: true));

        var delivered = await _sender.SendAsync(lenient, "over TLS", "secret body", CancellationToken.None);
        var refused = await _sender.SendAsync(strict, "over TLS", "never sent", CancellationToken.None);

        Assert.True(delivered.Ok, delivered.Error);
        Assert.True(smtp.TlsUsed);
        var mail = Assert.Single(smtp.Messages);
        Assert.Equal(("over TLS", "secret body", "pw"), (mail.Header("Subject"), mail.Body, mail.LoginPassword));
        Assert.Equal((false, 1), (refused.Ok, refused.Attempts));
        Assert.StartsWith("TLS with 127.0.0.1", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_EmailRecipientRefused_FailedResultWithReplyCode()
    {
        await using var smtp = SmtpTestServer.Start();
        smtp.RejectRecipientsWith = 550;
        var id = await CreateAsync("email", new JsonObject
        {
            ["smtp_server"] = "127.0.0.1",
            ["smtp_port"] = smtp.Port,
            ["smtp_type"] = "INSECURE",
            ["email_from"] = "a@example.com",
            ["email_to"] = new JsonArray("nobody@example.com"),
        });

        var result = await _sender.SendAsync(id, "s", "b", CancellationToken.None);

        Assert.Equal((false, 550, 1), (result.Ok, result.StatusCode, result.Attempts));
        Assert.Contains("No such user here", result.Error, StringComparison.Ordinal);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task SendAsync_EmailMisconfigured_FailedResultNamingTheField()
    {
        var id = await CreateAsync("email", new JsonObject
        {
            ["smtp_server"] = "127.0.0.1",
            ["smtp_type"] = "TLS1",
            ["email_from"] = "a@example.com",
            ["email_to"] = new JsonArray("b@example.com"),
        });

        var numberRecipient = await CreateAsync("email", new JsonObject
        {
            ["smtp_server"] = "127.0.0.1",
            ["email_from"] = "a@example.com",
            ["email_to"] = new JsonArray(42),
        });

        var result = await _sender.SendAsync(id, "s", "b", CancellationToken.None);
        var number = await _sender.SendAsync(numberRecipient, "s", "b", CancellationToken.None);

        Assert.Equal("The email block is not valid: smtp_type must be SSL, STARTTLS or INSECURE, not 'TLS1'", result.Error);
        Assert.Equal("The email block is not valid: email_to: '42' is not an email address", number.Error);
    }

    [Fact]
    public async Task SendAsync_TemplatedFromEventContext_ArrivesRendered()
    {
        var (flow, _) = await new FlowCatalog(_silo).UpsertAsync("etl", [], CancellationToken.None);
        var deploymentId = Guid.NewGuid();
        var triggering = new Event
        {
            Id = Guid.NewGuid(),
            Occurred = DateTimeOffset.Parse("2026-12-04T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            Name = "prefect.deployment.not-ready",
            Resource = Resource.Of($"prefect.deployment.{deploymentId}", (Resource.NameLabel, "nightly"), ("prefect.state-name", "Failed")),
            Related = [Resource.Related($"prefect.flow.{flow.Id}", "flow", "etl")],
        };
        var context = await NotificationContext.ForEventAsync(triggering, _silo, CancellationToken.None);
        NotificationContext.Set(context, "automation", new JsonObject { ["name"] = "on-failure" });
        var id = await CreateAsync("slack-webhook", new JsonObject { ["url"] = _receiver.Url });
        var body = Template.Render("""
            {{ event.resource['prefect.resource.name'] }} ({{ event.resource.id }}) of flow {{ flow.name }}: {{ event.event }}
            {%- if deployment is not defined %} [deployment gone]{% endif %} by {{ automation.name | upper }}
            """, context);

        Assert.True((await _sender.SendAsync(id, "", body, CancellationToken.None)).Ok);

        var text = JsonNode.Parse((await _receiver.WaitForAsync()).Body)!["text"]!.GetValue<string>();
        Assert.Equal($"nightly (prefect.deployment.{deploymentId}) of flow etl: prefect.deployment.not-ready [deployment gone] by ON-FAILURE", text);
        Assert.Equal(deploymentId, NotificationContext.IdOf(triggering, "prefect.deployment"));
        Assert.Equal(flow.Id, NotificationContext.IdOf(triggering, "prefect.flow"));
    }

    private async Task<Guid> CreateAsync(string slug, JsonObject data)
    {
        var (type, schema) = Blocks[slug];
        var (document, outcome) = await new BlockDocumentCatalog(_silo).CreateAsync($"{slug}-{Guid.NewGuid():N}", data, schema, type, false, CancellationToken.None);
        Assert.Equal(BlockOutcome.Done, outcome);
        return document!.Id;
    }
}
