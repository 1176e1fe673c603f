namespace OrleansFlow.Grains.Automations;

/// <summary><c>do-nothing</c>: records the firing and does nothing else.</summary>
public sealed record DoNothingAction : AutomationAction
{
    /// <inheritdoc/>
    public override string Type => "do-nothing";
}
