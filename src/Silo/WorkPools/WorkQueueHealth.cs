namespace OrleansFlow.Silo.WorkPools;

/// <summary>A legacy queue's health (Prefect's <c>WorkQueueStatusDetail</c>).</summary>
/// <param name="Healthy">Polled recently, not paused, no late runs.</param>
/// <param name="LateRunsCount">Runs of the queue marked Late.</param>
/// <param name="LastPolled">When an agent last polled it.</param>
public sealed record WorkQueueHealth(bool Healthy, long LateRunsCount, DateTimeOffset? LastPolled);
