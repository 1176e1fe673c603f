using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Silo.Blocks;
using OrleansFlow.Silo.Notifications;
using OrleansFlow.Silo.Notifications.Templates;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Gateway.Notifications;

/// <summary>Routes under <c>/api/notifications</c> (OrleansFlow's own; Prefect has none): <c>POST /test</c> sends a
/// sample message through a notification block, or calls a webhook block with a sample payload, for the UI's "send
/// test" button.</summary>
internal static class NotificationEndpoints
{
    /// <summary>The subject a test sends when the request has none.</summary>
    public const string SampleSubject = "OrleansFlow test notification";

    /// <summary>The body a test sends when the request has none.</summary>
    public const string SampleBody = "Flow run {{ flow_run.name }} of flow {{ flow.name }} entered state {{ flow_run.state.name }}.\nThis is a test notification from OrleansFlow.";

    /// <summary>The payload a webhook test sends when the request has none.</summary>
    public const string SamplePayload = """{"event": {{ event.event | tojson }}, "flow_run": {{ flow_run.name | tojson }}, "state": {{ flow_run.state.name | tojson }}, "test": true}""";

    public static void MapNotifications(this RouteGroupBuilder api)
    {
        var notifications = api.MapGroup("/notifications");
        notifications.MapPost("/test", async (HttpContext context, OrleansFlowSilo silo, NotificationSender sender) =>
        {
            var request = await RequestBody.ReadAsync<NotificationTestRequest>(context).ConfigureAwait(false);
            var id = Check.Required(request.BlockDocumentId, "block_document_id");
            TemplateFields.Require(request.Subject, "subject");
            TemplateFields.Require(request.Body, "body");
            TemplateFields.Require(request.Payload, "payload");
            var document = await new BlockDocumentCatalog(silo).GetAsync(id, includeSecrets: false, context.RequestAborted).ConfigureAwait(false);
            if (document is null)
            {
                return ApiResults.NotFound("Block document");
            }

            var slug = document.BlockType?.Slug ?? "";
            var sample = SampleContext(document, silo.Clock.GetUtcNow());
            if (slug == NotificationSender.WebhookSlug)
            {
                var payload = Render(request.Payload ?? SamplePayload, sample, "payload");
                var called = await sender.CallWebhookAsync(id, payload, context.RequestAborted).ConfigureAwait(false);
                return ApiResults.Json(Response(called, new JsonObject { ["payload"] = payload }));
            }

            if (!NotificationSender.NotificationSlugs.Contains(slug))
            {
                throw ApiValidationException.Field("block_document_id",
                    $"Block document {id} is a '{slug}' block, which cannot send notifications (webhook, {string.Join(", ", NotificationSender.NotificationSlugs)})");
            }

            var subject = Render(request.Subject ?? SampleSubject, sample, "subject");
            var body = Render(request.Body ?? SampleBody, sample, "body");
            var sent = await sender.SendAsync(id, subject, body, context.RequestAborted).ConfigureAwait(false);
            return ApiResults.Json(Response(sent, new JsonObject { ["subject"] = subject, ["body"] = body }));
        });
    }

    private static string Render(string template, JsonObject context, string field)
    {
        try
        {
            return Template.Render(template, context);
        }
        catch (TemplateRenderException e)
        {
            throw TemplateFields.Invalid(field, e.Message);
        }
    }

    /// <summary>Sample values for a test: an event about the block, an example flow run, flow and deployment.</summary>
    private static JsonObject SampleContext(BlockDocument document, DateTimeOffset now) => new()
    {
        ["event"] = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["occurred"] = now.UtcDateTime.ToString("O"),
            ["event"] = "orleansflow.notification.test",
            ["resource"] = new JsonObject
            {
                ["prefect.resource.id"] = $"prefect.block-document.{document.Id}",
                ["prefect.resource.name"] = document.Name,
            },
            ["related"] = new JsonArray(),
            ["payload"] = new JsonObject(),
        },
        ["flow_run"] = new JsonObject
        {
            ["id"] = "00000000-0000-0000-0000-000000000000",
            ["name"] = "example-flow-run",
            ["state"] = new JsonObject { ["type"] = "COMPLETED", ["name"] = "Completed" },
            ["tags"] = new JsonArray(),
        },
        ["flow"] = new JsonObject { ["name"] = "example-flow" },
        ["deployment"] = new JsonObject { ["name"] = "example-deployment" },
    };

    private static JsonObject Response(NotificationResult result, JsonObject sent)
    {
        var response = new JsonObject
        {
            ["ok"] = result.Ok,
            ["status_code"] = result.StatusCode,
            ["error"] = result.Error,
            ["attempts"] = result.Attempts,
            ["response_body"] = result.ResponseBody,
        };
        foreach (var (key, value) in sent)
        {
            response[key] = value?.DeepClone();
        }

        return response;
    }
}
