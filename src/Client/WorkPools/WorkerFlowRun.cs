namespace OrleansFlow.Client;

/// <summary>One claimed run in the answer of <c>get_scheduled_flow_runs</c> (Prefect's <c>WorkerFlowRunResponse</c>).</summary>
/// <param name="WorkPoolId">The pool.</param>
/// <param name="WorkQueueId">The queue it came from.</param>
/// <param name="FlowRun">The run.</param>
public sealed record WorkerFlowRun(Guid WorkPoolId, Guid WorkQueueId, FlowRun FlowRun);
