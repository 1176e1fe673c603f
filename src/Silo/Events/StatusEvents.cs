using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.WorkPools;

namespace OrleansFlow.Silo.Events;

/// <summary>The events of work-pool and work-queue status changes, in Prefect 3's shape: <c>prefect.work-pool.{status}</c>
/// about <c>prefect.work-pool.{id}</c> (with its name and type) and <c>prefect.work-queue.{status}</c> about
/// <c>prefect.work-queue.{id}</c>, related to its pool; the status in kebab case (<c>ready</c>, <c>not-ready</c>,
/// <c>paused</c>).</summary>
internal static class StatusEvents
{
    /// <summary>The event of <paramref name="pool"/> entering <paramref name="status"/> (READY, NOT_READY or PAUSED).</summary>
    public static Event WorkPool(Guid id, WorkPool pool, string status, DateTimeOffset now) => new()
    {
        Id = id,
        Occurred = now,
        Received = now,
        Name = $"prefect.work-pool.{Kebab(status)}",
        Resource = Resource.Of($"prefect.work-pool.{pool.Id:D}", (Resource.NameLabel, pool.Name), ("prefect.work-pool.type", pool.Type)),
    };

    /// <summary>The event of <paramref name="queue"/> (of <paramref name="pool"/>) entering <paramref name="status"/>.</summary>
    public static Event WorkQueue(Guid id, WorkQueue queue, WorkPool? pool, string status, DateTimeOffset now) => new()
    {
        Id = id,
        Occurred = now,
        Received = now,
        Name = $"prefect.work-queue.{Kebab(status)}",
        Resource = Resource.Of($"prefect.work-queue.{queue.Id:D}", (Resource.NameLabel, queue.Name), (Resource.RoleLabel, "work-queue")),
        Related = pool is null
            ? []
            : [RelatedPool(pool)],
    };

    /// <summary>A work pool as a related resource of another's event: role <c>work-pool</c>, with its name and type.</summary>
    public static Resource RelatedPool(WorkPool pool) =>
        Resource.Of($"prefect.work-pool.{pool.Id:D}", (Resource.NameLabel, pool.Name), ("prefect.work-pool.type", pool.Type), (Resource.RoleLabel, "work-pool"));

    /// <summary><c>NOT_READY</c> → <c>not-ready</c>.</summary>
    public static string Kebab(string status) => status.ToLowerInvariant().Replace('_', '-');
}
