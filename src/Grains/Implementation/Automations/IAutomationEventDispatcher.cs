namespace OrleansFlow.Grains.Automations;

/// <summary>Delivers stored events to the automations' grains, in order, from a durable cursor: what
/// <see cref="AutomationDispatcherGrain"/> runs on its timer. Implemented by the silo; one instance is kept by the
/// dispatcher's activation (it remembers gaps in the event sequence it is still waiting for).</summary>
public interface IAutomationEventDispatcher
{
    /// <summary>The most events one pass reads: a pass that read this many runs again at once.</summary>
    int BatchSize { get; }

    /// <summary>Reads the events after the cursor, delivers them to the automations they may fire, and moves the cursor
    /// past those delivered.</summary>
    /// <returns>How many events were read.</returns>
    Task<int> RunOnceAsync(CancellationToken cancellationToken);
}

/// <summary>Makes the <see cref="IAutomationEventDispatcher"/> of a dispatcher activation. Implemented by the silo.</summary>
public interface IAutomationEventDispatcherFactory
{
    /// <summary>A new dispatcher; null on a silo that has no event source (it then delivers nothing).</summary>
    IAutomationEventDispatcher? Create();
}
