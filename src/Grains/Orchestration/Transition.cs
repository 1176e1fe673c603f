using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.Orchestration;

/// <summary>What a rule evaluation decided for a run of type <typeparamref name="TRun"/>.</summary>
/// <typeparam name="TRun">The run record (flow run or task run).</typeparam>
public sealed record Transition<TRun>
    where TRun : class
{
    /// <summary>The answer for the client.</summary>
    public required OrchestrationResult Result { get; init; }

    /// <summary>The state to append to the run's history, or null when nothing is written
    /// (the HTTP status is 201 when a state was written, 200 when not).</summary>
    public State? Written { get; init; }

    /// <summary>The run after the transition, with its bookkeeping applied; null when nothing is written.</summary>
    public TRun? Updated { get; init; }

    /// <summary>True when a state is written.</summary>
    public bool Changed => Written is not null;
}
