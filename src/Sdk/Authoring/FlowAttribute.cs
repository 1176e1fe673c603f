namespace OrleansFlow;

/// <summary>Marks a method as a flow: calling it creates an orchestrated flow run whose state the server records, and
/// returns the method's value as a plain call would.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class FlowAttribute : Attribute
{
    /// <summary>The flow's name; default: the method name in kebab-case (<c>EtlFlow</c> becomes <c>etl-flow</c>).</summary>
    public string? Name { get; set; }

    /// <summary>The flow's version; default: none.</summary>
    public string? Version { get; set; }

    /// <summary>A description shown in the UI; default: none.</summary>
    public string? Description { get; set; }

    /// <summary>How many times a failed run is retried; default 0.</summary>
    public int Retries { get; set; }

    /// <summary>Seconds between retries; default 0.</summary>
    public int RetryDelaySeconds { get; set; }

    /// <summary>Seconds after which the run fails as TimedOut; default 0, meaning no timeout.</summary>
    public double TimeoutSeconds { get; set; }

    /// <summary>Tags of every run of this flow.</summary>
    public string[] Tags { get; set; } = [];

    /// <summary>A run name template with <c>{parameter}</c> placeholders, e.g. <c>"etl-{date}"</c>; default: a random name.</summary>
    public string? RunName { get; set; }

    /// <summary>True to capture Console output as run logs; default true.</summary>
    public bool LogPrints { get; set; } = true;

    /// <summary>True to persist the result to result storage; default false.</summary>
    public bool PersistResult { get; set; }

    /// <summary>How submitted and mapped tasks run; default <see cref="TaskRunnerKind.Concurrent"/>.</summary>
    public TaskRunnerKind TaskRunner { get; set; }

    /// <summary>For the concurrent task runner: how many submitted tasks run at once; default 0, meaning 16.</summary>
    public int MaxConcurrency { get; set; }

    /// <summary>Hooks (types implementing <see cref="IRunHook"/>) run when a run of this flow completes; default none.</summary>
    public Type[] OnCompletion { get; set; } = [];

    /// <summary>Hooks (types implementing <see cref="IRunHook"/>) run when a run of this flow fails for good; default none.</summary>
    public Type[] OnFailure { get; set; } = [];

    /// <summary>Hooks (types implementing <see cref="IRunHook"/>) run when a run of this flow ends CANCELLED (cancelled from
    /// the UI, the CLI or the API while it ran in this process); default none.</summary>
    public Type[] OnCancellation { get; set; } = [];

    /// <summary>Hooks (types implementing <see cref="IRunHook"/>) run when a run of this flow crashes: the process running it
    /// is told to stop (SIGTERM, Ctrl+C) or the engine loses the server, and the run is proposed CRASHED; default none.</summary>
    public Type[] OnCrashed { get; set; } = [];
}
