using System.Text;
using System.Text.Json;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.WorkPools;

namespace OrleansFlow.Silo.Events;

/// <summary>The event of a worker's heartbeat, <c>prefect.worker.heartbeat</c> (an OrleansFlow name: Prefect 3's server
/// emits no event for heartbeats). It is about <c>prefect.worker.{type}.{slug of the name}</c>, the resource id Prefect 3's
/// workers give their own events (<c>prefect.worker.submitted-flow-run</c>, …), with the labels
/// <c>prefect.resource.name</c> (the worker's name) and <c>prefect.worker-type</c> (its pool's type), and related to the
/// worker's pool (role <c>work-pool</c>).</summary>
internal static class WorkerEvents
{
    /// <summary>The name of the event.</summary>
    public const string HeartbeatName = "prefect.worker.heartbeat";

    /// <summary>The event of worker <paramref name="workerName"/> of <paramref name="pool"/> sending a heartbeat; the
    /// payload holds the heartbeat interval when the worker said it.</summary>
    public static Event Heartbeat(Guid id, WorkPool pool, string workerName, int? heartbeatIntervalSeconds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return new Event
        {
            Id = id,
            Occurred = now,
            Received = now,
            Name = HeartbeatName,
            Resource = Resource.Of(ResourceId(pool.Type, workerName), (Resource.NameLabel, workerName), ("prefect.worker-type", pool.Type)),
            Related = [StatusEvents.RelatedPool(pool)],
            Payload = heartbeatIntervalSeconds is { } seconds
                ? JsonSerializer.SerializeToElement(new Dictionary<string, int> { ["heartbeat_interval_seconds"] = seconds })
                : null,
        };
    }

    /// <summary><c>prefect.worker.{type}.{slug}</c>: the slug is the name in lower case with every run of other characters
    /// than ASCII letters and digits turned into one hyphen, none at either end (as Prefect's workers slugify theirs).</summary>
    public static string ResourceId(string type, string workerName) => $"prefect.worker.{type}.{Slug(workerName)}";

    /// <summary>The slug of a worker's name (<c>ProcessWorker 1a2b</c> → <c>processworker-1a2b</c>).</summary>
    public static string Slug(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var slug = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        return slug.ToString().TrimEnd('-');
    }
}
