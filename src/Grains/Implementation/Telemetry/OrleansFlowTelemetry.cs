using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.Telemetry;

/// <summary>OrleansFlow's own traces and metrics, under the name <see cref="Name"/> (an <see cref="ActivitySource"/> and a
/// <see cref="Meter"/>). Nothing is recorded unless a listener subscribes to them, as an OpenTelemetry provider does when
/// the server is started with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set.</summary>
/// <remarks>
/// <para>Spans: <c>orleansflow.db.commit</c>, from the moment a grain hands its write to the group commit until the
/// transaction holding it committed (a child of the grain call that wrote, with the batch's size).</para>
/// <para>Instruments: <c>orleansflow.transitions</c> (state proposals answered, by run kind, proposed state type and
/// answer), <c>orleansflow.concurrency.slots_in_use</c> (per tag, reported by the silo holding the tag's limit),
/// <c>orleansflow.work_queue.depth</c> (scheduled runs that are due, per pool and queue, reported by the silo running the
/// housekeeping sweep) and <c>orleansflow.db.write_queue</c> (writes waiting for a group commit in this process).</para>
/// </remarks>
public static class OrleansFlowTelemetry
{
    /// <summary>The name of OrleansFlow's activity source and meter: <c>OrleansFlow</c>.</summary>
    public const string Name = "OrleansFlow";

    /// <summary>The span of one write, from its hand-over to the group commit until its transaction committed.</summary>
    public const string CommitSpan = "orleansflow.db.commit";

    private static readonly string? Version = typeof(OrleansFlowTelemetry).Assembly.GetName().Version?.ToString(3);

    /// <summary>OrleansFlow's activity source.</summary>
    public static readonly ActivitySource ActivitySource = new(Name, Version);

    /// <summary>OrleansFlow's meter.</summary>
    public static readonly Meter Meter = new(Name, Version);

    private static readonly Counter<long> Transitions = Meter.CreateCounter<long>("orleansflow.transitions", "{transition}",
        "State proposals answered by flow-run and task-run grains, by run kind, proposed state type and answer.");

    private static readonly ConcurrentDictionary<string, Func<int>> Slots = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<object, Func<int>> WriteQueues = new();
    private static readonly ObservableGauge<long> QueueDepthGauge;
    private static QueueDepths? _queueDepths;

    static OrleansFlowTelemetry()
    {
        Meter.CreateObservableGauge("orleansflow.concurrency.slots_in_use", ObserveSlots, "{slot}",
            "Slots of tag concurrency limits held by task runs, per tag (reported by the silo holding the tag's limit grain).");
        QueueDepthGauge = Meter.CreateObservableGauge("orleansflow.work_queue.depth", ObserveQueueDepths, "{flow_run}",
            "Scheduled flow runs that are due and not yet taken by a worker, per work pool and queue.");
        Meter.CreateObservableGauge("orleansflow.db.write_queue", () => WriteQueues.Values.Sum(queued => queued()), "{write}",
            "Writes waiting for a group commit in this process.");
    }

    /// <summary>How old a queue-depth reading may be and still be reported: three sweeps. A silo that no longer runs the
    /// sweep (its housekeeper moved) stops reporting, so the depth is not counted twice.</summary>
    internal static readonly TimeSpan QueueDepthFreshness = TimeSpan.FromSeconds(15);

    /// <summary>True while something listens to <c>orleansflow.work_queue.depth</c>: the sweep reads the depths only then.</summary>
    internal static bool QueueDepthObserved => QueueDepthGauge.Enabled;

    /// <summary>Counts one answered state proposal.</summary>
    internal static void RecordTransition(string runKind, StateType proposed, OrchestrationStatus answer)
    {
        if (Transitions.Enabled)
        {
            Transitions.Add(1,
                new KeyValuePair<string, object?>("orleansflow.run.kind", runKind),
                new KeyValuePair<string, object?>("orleansflow.state.proposed", proposed.ToString().ToUpperInvariant()),
                new KeyValuePair<string, object?>("orleansflow.orchestration.status", answer.ToString().ToUpperInvariant()));
        }
    }

    /// <summary>Starts the commit span of one write, as a child of the current activity, without making it current (the
    /// caller goes on while the write waits for its batch).</summary>
    internal static Activity? StartCommit(string databaseSystem)
    {
        if (!ActivitySource.HasListeners())
        {
            return null;
        }

        var previous = Activity.Current;
        var activity = ActivitySource.StartActivity(CommitSpan, ActivityKind.Internal);
        Activity.Current = previous;
        activity?.SetTag("db.system", databaseSystem);
        return activity;
    }

    /// <summary>Reports the slots of the tag concurrency limit <paramref name="tag"/> while its grain is active here.</summary>
    internal static void TrackSlots(string tag, Func<int> inUse) => Slots[tag] = inUse;

    /// <summary>Stops reporting the slots of <paramref name="tag"/> (its grain deactivated).</summary>
    internal static void UntrackSlots(string tag) => Slots.TryRemove(tag, out _);

    /// <summary>Reports the writes waiting in <paramref name="owner"/>'s group commit until <see cref="UntrackWriteQueue"/>.</summary>
    internal static void TrackWriteQueue(object owner, Func<int> queued) => WriteQueues[owner] = queued;

    /// <summary>Stops reporting <paramref name="owner"/>'s group commit.</summary>
    internal static void UntrackWriteQueue(object owner) => WriteQueues.TryRemove(owner, out _);

    /// <summary>Keeps the latest queue depths (pool, queue, due runs), read at <paramref name="at"/>.</summary>
    internal static void RecordQueueDepths(IReadOnlyList<(string Pool, string Queue, long Runs)> depths, DateTimeOffset at) =>
        _queueDepths = new QueueDepths(depths, at);

    private static IEnumerable<Measurement<int>> ObserveSlots() =>
        Slots.Select(slot => new Measurement<int>(slot.Value(), new KeyValuePair<string, object?>("orleansflow.concurrency.tag", slot.Key)));

    private static IEnumerable<Measurement<long>> ObserveQueueDepths()
    {
        var reading = _queueDepths;
        if (reading is null || DateTimeOffset.UtcNow - reading.At > QueueDepthFreshness)
        {
            return [];
        }

        return reading.Depths.Select(depth => new Measurement<long>(depth.Runs,
            new KeyValuePair<string, object?>("orleansflow.work_pool.name", depth.Pool),
            new KeyValuePair<string, object?>("orleansflow.work_queue.name", depth.Queue)));
    }

    private sealed record QueueDepths(IReadOnlyList<(string Pool, string Queue, long Runs)> Depths, DateTimeOffset At);
}
