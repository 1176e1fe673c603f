namespace OrleansFlow.Grains.FlowRuns;

/// <summary>A flow run's retry and pause policy (Prefect's <c>empirical_policy</c> on a flow run).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("OrleansFlow.FlowRunPolicy")]
public sealed record FlowRunPolicy
{
    /// <summary>Deprecated Prefect field kept for wire compatibility.</summary>
    public int MaxRetries { get; init; }

    /// <summary>Deprecated Prefect field kept for wire compatibility.</summary>
    public double RetryDelaySeconds { get; init; }

    /// <summary>How many times a failed run is retried; null or 0 means never.</summary>
    public int? Retries { get; init; }

    /// <summary>Seconds to wait before a retry; null means 0.</summary>
    public int? RetryDelay { get; init; }

    /// <summary>Pause keys already used by this run (a pause key pauses once).</summary>
    public IReadOnlyList<string> PauseKeys { get; init; } = [];

    /// <summary>True while a resumed run is returning to RUNNING.</summary>
    public bool Resuming { get; init; }
}
