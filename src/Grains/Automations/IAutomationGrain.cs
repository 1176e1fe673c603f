using OrleansFlow.Grains.Events;

namespace OrleansFlow.Grains.Automations;

/// <summary>One automation's evaluation, keyed by the automation's id: it owns the trigger state (loaded on activation,
/// written on every change, so a silo's death loses nothing), applies the events delivered to it, keeps a grain timer
/// (and an Orleans reminder as the durable backstop) for proactive deadlines, and executes the actions of each firing,
/// recording every result in the firing history. Calls take turns.</summary>
[Alias("OrleansFlow.IAutomationGrain")]
public interface IAutomationGrain : IGrainWithGuidKey
{
    /// <summary>Reloads the automation as stored (after a create, replace, enable/disable or delete): a disabled or
    /// deleted automation drops its trigger state, its timer and its reminder.</summary>
    [Idempotent, Alias("Refresh")]
    Task RefreshAsync();

    /// <summary>Applies <paramref name="events"/> in order (an event applied before, by id, is skipped) and executes the
    /// actions of any firing.</summary>
    /// <returns>How many firings the events caused.</returns>
    [Idempotent, Alias("Receive")]
    Task<int> ReceiveAsync(IReadOnlyList<Event> events);

    /// <summary>Evaluates the trigger at the silo clock's now (proactive deadlines) and executes the actions of firings
    /// still pending (left by a silo that died mid-action).</summary>
    /// <returns>How many firings the tick caused.</returns>
    [Idempotent, Alias("Tick")]
    Task<int> TickAsync();
}
