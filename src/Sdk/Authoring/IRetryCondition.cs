namespace OrleansFlow;

/// <summary>Decides whether a failed task run is retried (Prefect's <c>retry_condition_fn</c>). Name the type in
/// <c>[FlowTask(Retries = 3, RetryCondition = typeof(OnlyTimeouts))]</c>; it needs a public parameterless constructor.
/// When it answers false, the failure is proposed with <c>retriable: false</c> and the server records the task run
/// FAILED however many retries are left.</summary>
public interface IRetryCondition
{
    /// <summary>True to let the task's retry policy retry this failure.</summary>
    /// <param name="context">The failed attempt.</param>
    bool ShouldRetry(RetryConditionContext context);
}
