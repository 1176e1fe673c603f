using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.Json;
using OrleansFlow.Silo.Deployments;
using OrleansFlow.Silo.Flows;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.Notifications;

/// <summary>Builds the JSON context a notification template renders against, as Prefect's automations do: <c>event</c>
/// (the triggering event in Prefect's wire shape), and the objects the event names — <c>flow_run</c>, <c>flow</c>,
/// <c>deployment</c>, <c>task_run</c> — each from the first resource (the event's resource, then its related ones)
/// whose id is <c>prefect.flow-run.&lt;uuid&gt;</c>, <c>prefect.flow.&lt;uuid&gt;</c>, and so on, in the API's JSON.
/// Callers add what else they have (<c>automation</c>, <c>labels</c>, <c>firing</c>) with <see cref="Set"/>.</summary>
public static class NotificationContext
{
    /// <summary>The context variables <see cref="ForEventAsync"/> fills from the event's resources, with the resource
    /// kind each comes from.</summary>
    public static IReadOnlyDictionary<string, string> ObjectKinds { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["flow_run"] = "prefect.flow-run",
        ["flow"] = "prefect.flow",
        ["deployment"] = "prefect.deployment",
        ["task_run"] = "prefect.task-run",
    };

    /// <summary>A context holding only <c>event</c>: <paramref name="triggeringEvent"/> as the API shows it
    /// (<c>event.event</c>, <c>event.resource['prefect.resource.id']</c>, <c>event.related</c>, <c>event.payload</c>...).</summary>
    public static JsonObject ForEvent(Event triggeringEvent)
    {
        ArgumentNullException.ThrowIfNull(triggeringEvent);
        return new JsonObject { ["event"] = JsonSerializer.SerializeToNode(triggeringEvent, OrleansFlowJson.Options) };
    }

    /// <summary><see cref="ForEvent"/>, plus <c>flow_run</c>, <c>flow</c>, <c>deployment</c> and <c>task_run</c> read
    /// from the store for the resources the event names (<see cref="ObjectKinds"/>). An object that does not exist
    /// (deleted since) is left out, so the template sees it as undefined. Safe to call from a grain (it calls the
    /// run grains, never the caller).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<JsonObject> ForEventAsync(Event triggeringEvent, OrleansFlowSilo silo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var context = ForEvent(triggeringEvent);
        foreach (var (name, kind) in ObjectKinds)
        {
            if (IdOf(triggeringEvent, kind) is not { } id)
            {
                continue;
            }

            object? value = name switch
            {
                "flow_run" => await silo.FlowRun(id).GetAsync(cancellationToken).ConfigureAwait(false),
                "flow" => await new FlowCatalog(silo).GetAsync(id, cancellationToken).ConfigureAwait(false),
                "deployment" => await new DeploymentCatalog(silo).GetAsync(id, cancellationToken).ConfigureAwait(false),
                _ => await silo.TaskRun(id).GetAsync(cancellationToken).ConfigureAwait(false),
            };
            if (value is not null)
            {
                Set(context, name, value);
            }
        }

        return context;
    }

    /// <summary>Sets the variable <paramref name="name"/> of <paramref name="context"/> to <paramref name="value"/> in
    /// the API's JSON (<see cref="OrleansFlowJson.Options"/>); a <see cref="JsonNode"/> is put in as it is.</summary>
    /// <returns><paramref name="context"/>, to chain calls.</returns>
    public static JsonObject Set(JsonObject context, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(name);
        context[name] = value is JsonNode node ? node : JsonSerializer.SerializeToNode(value, OrleansFlowJson.Options);
        return context;
    }

    /// <summary>The id of the first resource of <paramref name="kind"/> (e.g. <c>prefect.flow-run</c>) the event names,
    /// its own resource first, then the related ones; null when none has an id <c>kind.&lt;uuid&gt;</c>.</summary>
    public static Guid? IdOf(Event triggeringEvent, string kind)
    {
        ArgumentNullException.ThrowIfNull(triggeringEvent);
        foreach (var resource in triggeringEvent.Related.Prepend(triggeringEvent.Resource))
        {
            var id = resource.Id;
            if (id.Length > kind.Length + 1 && id.StartsWith(kind, StringComparison.Ordinal) && id[kind.Length] == '.'
                && Guid.TryParse(id.AsSpan(kind.Length + 1), out var guid))
            {
                return guid;
            }
        }

        return null;
    }
}
