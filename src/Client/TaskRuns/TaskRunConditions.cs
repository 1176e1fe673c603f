namespace OrleansFlow.Client;

/// <summary>The <c>task_runs</c> part of a filter.</summary>
public sealed record TaskRunConditions
{
    /// <summary>Only task runs of these flow runs.</summary>
    public AnyOf<Guid>? FlowRunId { get; init; }

    /// <summary>Only task runs in these states.</summary>
    public StateCondition? State { get; init; }
}
