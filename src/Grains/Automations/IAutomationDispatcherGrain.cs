namespace OrleansFlow.Grains.Automations;

/// <summary>The one event dispatcher of the cluster (key 0): a grain timer (every second) and a reminder as its durable
/// backstop deliver the stored events to the automations (one pass: <c>AutomationDispatcher.RunOnceAsync</c>).</summary>
[Alias("OrleansFlow.IAutomationDispatcherGrain")]
public interface IAutomationDispatcherGrain : IGrainWithIntegerKey
{
    /// <summary>Starts the timer and registers the reminder (idempotent).</summary>
    [Idempotent, Alias("Start")]
    Task StartAsync();

    /// <summary>Delivers every event stored so far; returns how many were read (0 when the silo has no event source).</summary>
    [Idempotent, Alias("Drain")]
    Task<int> DrainAsync();
}
