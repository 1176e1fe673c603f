using Orleans.Concurrency;

namespace OrleansFlow.Grains.Notifications;

/// <summary>The cluster's sender of flow run notifications (key 0): it sends the messages the notification policies owe,
/// oldest first, and marks each sent. The event dispatcher queues them (durably, in the database) and wakes it; a grain
/// timer (every <c>5 s</c>) and a reminder as its durable backstop send whatever a wake-up missed, after a restart too.
/// Sending never runs in a flow run's transition: a slow webhook delays the next notification, never a run.</summary>
[Alias("OrleansFlow.IFlowRunNotificationGrain")]
public interface IFlowRunNotificationGrain : IGrainWithIntegerKey
{
    /// <summary>Starts the timer and registers the reminder (idempotent).</summary>
    [Idempotent, Alias("Start")]
    Task StartAsync();

    /// <summary>Sends every queued notification; returns how many were handled (sent, or dropped because their policy,
    /// run or state no longer exists). Zero on a silo that cannot send.</summary>
    [Idempotent, Alias("Drain")]
    Task<int> DrainAsync();

    /// <summary>Asks for a drain without waiting for it (the dispatcher's call after it queued notifications); starts
    /// the timer too.</summary>
    [OneWay, Alias("Wake")]
    Task WakeAsync();
}
