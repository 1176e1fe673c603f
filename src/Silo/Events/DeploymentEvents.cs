using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Grains.Deployments;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.Flows;
using OrleansFlow.Grains.Json;
using OrleansFlow.Grains.WorkPools;

namespace OrleansFlow.Silo.Events;

/// <summary>The events of a deployment's life, in Prefect 3's shape: <c>prefect.deployment.created</c>,
/// <c>.updated</c> (with the changed fields in the payload), <c>.deleted</c>, and the status events
/// <c>prefect.deployment.ready</c> / <c>.not-ready</c>. Each is about <c>prefect.deployment.{id}</c> (with its name) and
/// related to the deployment's flow (role <c>flow</c>), work queue (<c>work-queue</c>), work pool (<c>work-pool</c>, with
/// its type) and storage and infrastructure block documents (<c>storage</c>, <c>infrastructure</c>) when it has them.</summary>
internal static class DeploymentEvents
{
    /// <summary>The wire names of the fields whose change makes a <c>prefect.deployment.updated</c> event: Prefect 3's
    /// list of the fields this server has, then the schedule fields (an OrleansFlow addition: Prefect 3 keeps schedules
    /// apart, but pausing or resuming a schedule is a change users want to hear of).</summary>
    public static readonly IReadOnlyList<string> TrackedFields =
    [
        "description", "tags", "parameters", "parameter_openapi_schema", "enforce_parameter_schema", "entrypoint", "path",
        "pull_steps", "work_pool_name", "work_queue_name", "infra_overrides", "paused", "version", "storage_document_id",
        "infrastructure_document_id", "schedule", "schedules",
    ];

    /// <summary>The related resources of a deployment's events: its flow, work queue and work pool (each when known),
    /// and its storage and infrastructure block documents.</summary>
    public static IReadOnlyList<Resource> Related(Deployment deployment, Flow? flow, WorkQueue? queue, WorkPool? pool)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var related = new List<Resource>(5);
        if (flow is not null)
        {
            related.Add(Resource.Related($"prefect.flow.{flow.Id:D}", "flow", flow.Name));
        }

        if (queue is not null)
        {
            related.Add(Resource.Related($"prefect.work-queue.{queue.Id:D}", "work-queue", queue.Name));
        }

        if (pool is not null)
        {
            related.Add(StatusEvents.RelatedPool(pool));
        }

        if (deployment.StorageDocumentId is { } storage)
        {
            related.Add(Resource.Related($"prefect.block-document.{storage:D}", "storage"));
        }

        if (deployment.InfrastructureDocumentId is { } infrastructure)
        {
            related.Add(Resource.Related($"prefect.block-document.{infrastructure:D}", "infrastructure"));
        }

        return related;
    }

    /// <summary><c>prefect.deployment.created</c>: <paramref name="deployment"/> was created.</summary>
    public static Event Created(Guid id, Deployment deployment, IReadOnlyList<Resource> related, DateTimeOffset now) =>
        Of(id, "created", deployment, related, now);

    /// <summary><c>prefect.deployment.updated</c>: <paramref name="after"/> replaced <paramref name="before"/>; the payload
    /// lists the changed fields (<c>updated_fields</c>) and their values (<c>updates</c>: <c>{field: {from, to}}</c>).
    /// Null when none of <see cref="TrackedFields"/> changed (Prefect emits nothing then).</summary>
    public static Event? Updated(Guid id, Deployment before, Deployment after, IReadOnlyList<Resource> related, DateTimeOffset now)
    {
        var updates = Changes(before, after);
        if (updates.Count == 0)
        {
            return null;
        }

        var payload = new JsonObject
        {
            ["updated_fields"] = new JsonArray([.. updates.Select(u => (JsonNode)JsonValue.Create(u.Key))]),
            ["updates"] = updates,
        };
        return Of(id, "updated", after, related, now) with { Payload = JsonSerializer.SerializeToElement(payload, OrleansFlowJson.Options) };
    }

    /// <summary><c>prefect.deployment.deleted</c>: <paramref name="deployment"/> was deleted.</summary>
    public static Event Deleted(Guid id, Deployment deployment, IReadOnlyList<Resource> related, DateTimeOffset now) =>
        Of(id, "deleted", deployment, related, now);

    /// <summary><c>prefect.deployment.ready</c> or <c>.not-ready</c>: <paramref name="deployment"/> entered
    /// <paramref name="status"/> (READY or NOT_READY).</summary>
    public static Event Status(Guid id, Deployment deployment, string status, IReadOnlyList<Resource> related, DateTimeOffset now) =>
        Of(id, StatusEvents.Kebab(status), deployment, related, now);

    /// <summary>The tracked fields that differ between <paramref name="before"/> and <paramref name="after"/>, as
    /// <c>{field: {from, to}}</c> in wire JSON, in <see cref="TrackedFields"/> order.</summary>
    public static JsonObject Changes(Deployment before, Deployment after)
    {
        var old = JsonSerializer.SerializeToNode(before, OrleansFlowJson.Options)!.AsObject();
        var @new = JsonSerializer.SerializeToNode(after, OrleansFlowJson.Options)!.AsObject();
        var changes = new JsonObject();
        foreach (var field in TrackedFields)
        {
            var from = Comparable(field, old[field]);
            var to = Comparable(field, @new[field]);
            if (!JsonNode.DeepEquals(from, to))
            {
                changes[field] = new JsonObject { ["from"] = from?.DeepClone(), ["to"] = to?.DeepClone() };
            }
        }

        return changes;
    }

    /// <summary>A field's value as compared: a schedule entry without its id, times and deployment id (a re-deploy
    /// gives the same schedules new ids).</summary>
    private static JsonNode? Comparable(string field, JsonNode? value)
    {
        if (field != "schedules" || value is not JsonArray entries)
        {
            return value;
        }

        var stripped = new JsonArray();
        foreach (var entry in entries)
        {
            if (entry?.DeepClone() is JsonObject copy)
            {
                copy.Remove("id");
                copy.Remove("created");
                copy.Remove("updated");
                copy.Remove("deployment_id");
                stripped.Add(copy);
            }
        }

        return stripped;
    }

    private static Event Of(Guid id, string what, Deployment deployment, IReadOnlyList<Resource> related, DateTimeOffset now) => new()
    {
        Id = id,
        Occurred = now,
        Received = now,
        Name = $"prefect.deployment.{what}",
        Resource = Resource.Of($"prefect.deployment.{deployment.Id:D}", (Resource.NameLabel, deployment.Name)),
        Related = related,
    };
}
