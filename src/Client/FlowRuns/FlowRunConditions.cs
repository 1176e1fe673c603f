namespace OrleansFlow.Client;

/// <summary>The <c>flow_runs</c> part of a filter.</summary>
public sealed record FlowRunConditions
{
    /// <summary>Only these runs.</summary>
    public AnyOf<Guid>? Id { get; init; }

    /// <summary>Only runs in these states.</summary>
    public StateCondition? State { get; init; }
}
