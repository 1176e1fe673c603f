using OrleansFlow.Grains.FlowRuns;

namespace OrleansFlow.Grains.WorkPools;

/// <summary>A scheduled run handed to a worker (Prefect's <c>WorkerFlowRunResponse</c>).</summary>
/// <param name="WorkPoolId">The pool the run was taken from.</param>
/// <param name="WorkQueueId">The queue the run was taken from.</param>
/// <param name="FlowRun">The run.</param>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("OrleansFlow.ScheduledRun")]
public sealed record ScheduledRun(Guid WorkPoolId, Guid WorkQueueId, FlowRun FlowRun);
