namespace OrleansFlow.Client;

/// <summary>A flow run's retry policy (Prefect's <c>FlowRunPolicy</c>).</summary>
public sealed record FlowRunPolicy
{
    /// <summary>Deprecated in Prefect; always 0.</summary>
    public int MaxRetries { get; init; }

    /// <summary>Deprecated in Prefect; always 0.</summary>
    public double RetryDelaySeconds { get; init; }

    /// <summary>How many times a failed run is retried.</summary>
    public int? Retries { get; init; }

    /// <summary>Seconds between retries.</summary>
    public int? RetryDelay { get; init; }

    /// <summary>Keys of the pauses already passed; none by default.</summary>
    public IReadOnlyList<string>? PauseKeys { get; init; } = [];

    /// <summary>The run is resuming from a pause.</summary>
    public bool Resuming { get; init; }
}
