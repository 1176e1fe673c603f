using System.Globalization;
using System.Text.Json.Nodes;
using OrleansFlow.Grains.Automations;
using OrleansFlow.Silo.Notifications;
using OrleansFlow.Silo.Notifications.Templates;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.Automations;

/// <summary>The <c>send-notification</c> and <c>call-webhook</c> actions of one firing: renders their templates against the
/// firing's context and hands the text to <see cref="NotificationSender"/>. The context is Prefect's: <c>automation</c>
/// (its API shape), <c>event</c> (the triggering event), <c>labels</c> (the firing's <c>for_each</c> labels),
/// <c>firing</c>, and the objects the event names (<c>flow_run</c>, <c>flow</c>, <c>deployment</c>, <c>task_run</c>, see
/// <see cref="NotificationContext"/>). It is built once per firing, on the first action that needs it.</summary>
internal sealed class AutomationMessages(OrleansFlowSilo silo, NotificationSender sender, Automation automation, AutomationFiring firing)
{
    private JsonObject? _context;

    /// <summary>Sends the action's notification.</summary>
    public async Task<AutomationActionResult> SendAsync(SendNotificationAction action, int index, CancellationToken cancellationToken)
    {
        var (rendered, failure) = await RenderAsync(action, index, [("subject", action.Subject), ("body", action.Body)], cancellationToken)
            .ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        var result = await sender.SendAsync(action.BlockDocumentId, rendered[0], rendered[1], cancellationToken).ConfigureAwait(false);
        return Result(action, index, result, "Sent the notification");
    }

    /// <summary>Calls the action's webhook.</summary>
    public async Task<AutomationActionResult> CallAsync(CallWebhookAction action, int index, CancellationToken cancellationToken)
    {
        var (rendered, failure) = await RenderAsync(action, index, [("payload", action.Payload)], cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        var result = await sender.CallWebhookAsync(action.BlockDocumentId, rendered[0], cancellationToken).ConfigureAwait(false);
        return Result(action, index, result, "Called the webhook");
    }

    /// <summary>The templates rendered in order, or the failed result of the first that could not be.</summary>
    private async Task<(string[] Rendered, AutomationActionResult? Failure)> RenderAsync(AutomationAction action, int index,
        (string Field, string Source)[] templates, CancellationToken cancellationToken)
    {
        var context = _context ??= await ContextAsync(cancellationToken).ConfigureAwait(false);
        var rendered = new string[templates.Length];
        for (var i = 0; i < templates.Length; i++)
        {
            try
            {
                rendered[i] = Template.Render(templates[i].Source, context);
            }
            catch (Exception ex) when (ex is TemplateSyntaxException or TemplateRenderException)
            {
                return ([], Failed(action, index, $"The '{templates[i].Field}' template could not be rendered: {ex.Message}"));
            }
        }

        return (rendered, null);
    }

    private async Task<JsonObject> ContextAsync(CancellationToken cancellationToken)
    {
        var context = firing.TriggeringEvent is { } triggering
            ? await NotificationContext.ForEventAsync(triggering, silo, cancellationToken).ConfigureAwait(false)
            : [];
        NotificationContext.Set(context, "automation", JsonNode.Parse(AutomationJson.Serialize(automation)));
        var labels = new JsonObject(firing.TriggeringLabels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value))));
        context["labels"] = labels;
        context["firing"] = new JsonObject
        {
            ["id"] = firing.Id.ToString(),
            ["triggered"] = firing.Fired.ToString("O", CultureInfo.InvariantCulture),
            ["triggering_labels"] = labels.DeepClone(),
            ["triggering_event"] = context["event"]?.DeepClone(),
        };
        return context;
    }

    private static AutomationActionResult Result(AutomationAction action, int index, NotificationResult result, string done) =>
        result.Ok
            ? new AutomationActionResult
            {
                Index = index,
                Type = action.Type,
                Status = AutomationActionResult.Completed,
                Detail = result.StatusCode is { } status ? $"{done} (HTTP {status}, {Attempts(result)})." : $"{done} ({Attempts(result)}).",
            }
            : Failed(action, index, result.StatusCode is { } code
                ? $"{result.Error ?? "The remote end refused it"} (HTTP {code}, {Attempts(result)})."
                : $"{result.Error ?? "It failed"} ({Attempts(result)}).");

    private static string Attempts(NotificationResult result) => result.Attempts == 1 ? "1 attempt" : $"{result.Attempts} attempts";

    private static AutomationActionResult Failed(AutomationAction action, int index, string detail) =>
        new() { Index = index, Type = action.Type, Status = AutomationActionResult.Failed, Detail = detail };
}
