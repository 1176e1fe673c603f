namespace OrleansFlow;

/// <summary>Computes a task run's cache key from its inputs; runs with equal keys share one cached result.</summary>
public interface ICacheKeyPolicy
{
    /// <summary>The cache key for a call, or null to not cache this call.</summary>
    /// <param name="task">The task being called.</param>
    /// <param name="arguments">The call's arguments by parameter name.</param>
    string? CacheKey(TaskDefinition task, IReadOnlyDictionary<string, object?> arguments);
}
