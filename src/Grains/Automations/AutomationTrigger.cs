namespace OrleansFlow.Grains.Automations;

/// <summary>The criteria of an automation (Prefect 3's <c>trigger</c>): an <see cref="EventTrigger"/> or a composite
/// (<see cref="CompoundTrigger"/>, <see cref="SequenceTrigger"/>) of triggers.</summary>
public abstract record AutomationTrigger
{
    /// <summary>The trigger's id (Prefect gives every trigger a fresh one when an automation is created or replaced).</summary>
    public required Guid Id { get; init; }

    /// <summary>The wire <c>type</c>: <c>event</c>, <c>compound</c> or <c>sequence</c>.</summary>
    public abstract string Type { get; }

    /// <summary>This trigger and every trigger below it, depth first.</summary>
    public abstract IEnumerable<AutomationTrigger> All();

    /// <summary>The event triggers (leaves) of this trigger.</summary>
    public IEnumerable<EventTrigger> EventTriggers() => All().OfType<EventTrigger>();
}
