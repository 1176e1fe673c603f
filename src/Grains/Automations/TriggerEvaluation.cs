namespace OrleansFlow.Grains.Automations;

/// <summary>The result of <see cref="TriggerRules.Evaluate"/> or <see cref="TriggerRules.Tick"/>: the new state and the
/// firings of the automation's trigger, in order.</summary>
/// <param name="State">The state to keep.</param>
/// <param name="Firings">The firings (usually none or one).</param>
public sealed record TriggerEvaluation(AutomationTriggerState State, IReadOnlyList<TriggerFiring> Firings)
{
    /// <summary>Whether the state changed (so it must be written).</summary>
    public bool Changed { get; init; }
}
