namespace OrleansFlow.Grains.Automations;

/// <summary>Prefect 3's sequence trigger: fires when all its children fired, in their order, within the window.</summary>
public sealed record SequenceTrigger : CompositeTrigger
{
    /// <inheritdoc/>
    public override string Type => "sequence";

    /// <inheritdoc/>
    public override int ExpectedFirings => Triggers.Length;

    /// <inheritdoc/>
    public override bool ReadyToFire(IReadOnlyList<Guid> childTriggerIdsInOrder)
    {
        ArgumentNullException.ThrowIfNull(childTriggerIdsInOrder);
        return childTriggerIdsInOrder.SequenceEqual(Triggers.Select(t => t.Id));
    }
}
