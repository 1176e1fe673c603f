namespace OrleansFlow.Grains.Automations;

/// <summary>Prefect 3's compound trigger: fires when <see cref="Require"/> of its children fired within the window.</summary>
public sealed record CompoundTrigger : CompositeTrigger
{
    /// <inheritdoc/>
    public override string Type => "compound";

    /// <summary><c>any</c>, <c>all</c>, or a number of children (1 to the number of children) as text.</summary>
    public required string Require { get; init; }

    /// <inheritdoc/>
    public override int ExpectedFirings => Require switch
    {
        "any" => 1,
        "all" => Triggers.Length,
        _ => int.Parse(Require, System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <inheritdoc/>
    public override bool ReadyToFire(IReadOnlyList<Guid> childTriggerIdsInOrder)
    {
        ArgumentNullException.ThrowIfNull(childTriggerIdsInOrder);
        return childTriggerIdsInOrder.Count >= ExpectedFirings;
    }
}
