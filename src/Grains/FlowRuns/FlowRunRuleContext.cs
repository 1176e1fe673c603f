namespace OrleansFlow.Grains.FlowRuns;

/// <summary>Everything the flow-run rules need besides the run and the proposal. The rules do no I/O:
/// the caller loads and passes all of it.</summary>
public sealed record FlowRunRuleContext
{
    /// <summary>The current time.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>The id to give a state that gets written.</summary>
    public required Guid NewStateId { get; init; }

    /// <summary>True to skip the core rules (Prefect's <c>force=true</c>); the bookkeeping still applies.</summary>
    public bool Force { get; init; }
}
