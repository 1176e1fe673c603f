namespace OrleansFlow;

/// <summary>Marks a method as a task: calling it inside a flow creates an orchestrated task run (retries, caching,
/// concurrency limits) and returns the method's value as a plain call would. Outside a flow it runs as a plain call.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class FlowTaskAttribute : Attribute
{
    /// <summary>The task's name; default: the method name in kebab-case.</summary>
    public string? Name { get; set; }

    /// <summary>The task's version; default: none.</summary>
    public string? Version { get; set; }

    /// <summary>How many times a failed run is retried; default 0.</summary>
    public int Retries { get; set; }

    /// <summary>Seconds between retries; default 0. <see cref="RetryDelaysSeconds"/> wins when set.</summary>
    public double RetryDelaySeconds { get; set; }

    /// <summary>One delay per retry, in seconds (the last repeats); default: none.</summary>
    public double[]? RetryDelaysSeconds { get; set; }

    /// <summary>Random jitter added to a retry delay, as a factor of it; default: none (0).</summary>
    public double RetryJitterFactor { get; set; }

    /// <summary>Seconds after which the run fails as TimedOut; default 0, meaning no timeout.</summary>
    public double TimeoutSeconds { get; set; }

    /// <summary>Tags of every run of this task; tag concurrency limits apply to them.</summary>
    public string[] Tags { get; set; } = [];

    /// <summary>A type implementing <see cref="IRetryCondition"/> that decides whether a failure is retried; default: every
    /// failure is, while retries are left.</summary>
    public Type? RetryCondition { get; set; }

    /// <summary>A type implementing <see cref="ICacheKeyPolicy"/> that computes the cache key; default: no caching.</summary>
    public Type? CacheKey { get; set; }

    /// <summary>Seconds a cached result stays valid; default 0, meaning forever.</summary>
    public double CacheExpirationSeconds { get; set; }

    /// <summary>True to ignore a cached result and compute again (the new result is cached); default false.</summary>
    public bool RefreshCache { get; set; }

    /// <summary>True to persist the result to result storage; default false (true when caching).</summary>
    public bool PersistResult { get; set; }

    /// <summary>True to capture Console output as run logs; default true.</summary>
    public bool LogPrints { get; set; } = true;

    /// <summary>Retry delays growing exponentially: retry <c>n</c> (from 0) waits <c>factor * 2^n</c> seconds (Prefect's
    /// <c>exponential_backoff(backoff_factor)</c>); default 0, meaning off. Wins over <see cref="RetryDelaySeconds"/>;
    /// <see cref="RetryDelaysSeconds"/> wins over it.</summary>
    public double RetryExponentialBackoffSeconds { get; set; }

    /// <summary>Hooks (types implementing <see cref="IRunHook"/>) run when a run of this task completes; default none.</summary>
    public Type[] OnCompletion { get; set; } = [];

    /// <summary>Hooks (types implementing <see cref="IRunHook"/>) run when a run of this task fails for good; default none.</summary>
    public Type[] OnFailure { get; set; } = [];
}
