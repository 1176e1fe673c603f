using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.Automations;

/// <summary>A state change of the flow run of the firing (from its <c>prefect.resource.id</c> bucket label, else the
/// triggering event's first flow-run resource): <c>cancel-flow-run</c> (CANCELLING), <c>suspend-flow-run</c> (PAUSED
/// "Suspended") or <c>change-flow-run-state</c> (<see cref="State"/>, <see cref="Name"/>, <see cref="Message"/>,
/// <see cref="Force"/>).</summary>
public sealed record FlowRunStateAction : AutomationAction
{
    /// <summary>The action types of this shape.</summary>
    public static IReadOnlyList<string> Types { get; } = ["cancel-flow-run", "suspend-flow-run", "change-flow-run-state"];

    private readonly string _type = "";

    /// <inheritdoc/>
    public override string Type => _type;

    /// <summary>One of <see cref="Types"/>.</summary>
    /// <exception cref="ArgumentException">Not one of those types.</exception>
    public required string ActionType
    {
        get => _type;
        init => _type = Types.Contains(value) ? value : throw new ArgumentException($"'{value}' is not a flow-run state action type.", nameof(value));
    }

    /// <summary>The state type to set (<c>change-flow-run-state</c> only; required there).</summary>
    public StateType? State { get; init; }

    /// <summary>The state name (null: the type's default name).</summary>
    public string? Name { get; init; }

    /// <summary>The state message (null: "State changed by Automation {id}").</summary>
    public string? Message { get; init; }

    /// <summary>Whether the orchestration rules are skipped.</summary>
    public bool Force { get; init; }
}
