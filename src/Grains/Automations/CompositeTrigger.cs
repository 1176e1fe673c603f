using System.Collections.Immutable;

namespace OrleansFlow.Grains.Automations;

/// <summary>A trigger made of triggers: it fires when enough of its children fired within <see cref="Within"/>.</summary>
public abstract record CompositeTrigger : AutomationTrigger
{
    /// <summary>The child triggers (at least one).</summary>
    public required ImmutableArray<AutomationTrigger> Triggers { get; init; }

    /// <summary>How long a child's firing counts; null: for ever.</summary>
    public TimeSpan? Within { get; init; }

    /// <summary>How many child firings fire this trigger.</summary>
    public abstract int ExpectedFirings { get; }

    /// <inheritdoc/>
    public override IEnumerable<AutomationTrigger> All() => [this, .. Triggers.SelectMany(t => t.All())];

    /// <summary>Whether the current child firings (oldest first) fire this trigger.</summary>
    public abstract bool ReadyToFire(IReadOnlyList<Guid> childTriggerIdsInOrder);
}
