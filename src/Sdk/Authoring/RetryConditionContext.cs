namespace OrleansFlow;

/// <summary>What an <see cref="IRetryCondition"/> learns about a failed task run attempt.</summary>
/// <param name="TaskRunId">The task run's id.</param>
/// <param name="TaskRunName">The task run's name.</param>
/// <param name="TaskName">The task's name.</param>
/// <param name="Attempt">The attempt that failed: 1 for the first.</param>
/// <param name="Exception">What the attempt threw.</param>
public sealed record RetryConditionContext(Guid TaskRunId, string TaskRunName, string TaskName, int Attempt, Exception Exception);
