using OrleansFlow.Grains.Events;

namespace OrleansFlow.Ui.Rendering;

/// <summary>The UI page of an event's resource, when it is one the UI shows (a flow run, task run, flow, deployment,
/// work pool or automation).</summary>
internal static class ResourceLinks
{
    private static readonly (string Prefix, string Path)[] ById =
    [
        ("prefect.flow-run.", "/runs/"),
        ("prefect.task-run.", "/task-runs/"),
        ("prefect.deployment.", "/deployments/"),
        ("prefect.flow.", "/flows/"),
        ("prefect.automation.", "/automations/"),
    ];

    /// <summary>The page of <paramref name="resource"/>, or null when the UI has none.</summary>
    public static string? Href(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var id = resource.Id;
        foreach (var (prefix, path) in ById)
        {
            if (id.StartsWith(prefix, StringComparison.Ordinal) && Guid.TryParse(id.AsSpan(prefix.Length), out var guid))
            {
                return path + guid;
            }
        }

        // Work pools have pages by name.
        return id.StartsWith("prefect.work-pool.", StringComparison.Ordinal) && resource.Name is { Length: > 0 } name
            ? "/work-pools/" + Uri.EscapeDataString(name)
            : null;
    }

    /// <summary>A work queue's row on its pool's page: the page scrolls to it and highlights it.</summary>
    public static string Queue(string pool, string queue) =>
        "/work-pools/" + Uri.EscapeDataString(pool) + "#queue-" + Uri.EscapeDataString(queue);

    /// <summary>The resource's name label when it has one, else its id.</summary>
    public static string Label(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.Name is { Length: > 0 } name ? name : resource.Id;
    }
}
