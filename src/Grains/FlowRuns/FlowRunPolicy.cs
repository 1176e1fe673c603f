using System.Globalization;
using OrleansFlow.Grains.TaskRuns;

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

    /// <summary>The first field of this policy out of range (its name, relative to the policy, and why), or null: a count of
    /// retries is 0 or more, and a retry delay is between 0 and <see cref="TaskRunPolicy.MaxRetryDelaySeconds"/> (10 years),
    /// as a task run's.</summary>
    public (string Field, string Reason)? Problem() =>
        Retries is < 0 ? ("retries", "must be at least 0")
        : RetryDelay is < 0 or > (int)TaskRunPolicy.MaxRetryDelaySeconds
            ? ("retry_delay", string.Create(CultureInfo.InvariantCulture, $"must be between 0 and {TaskRunPolicy.MaxRetryDelaySeconds} seconds (10 years)"))
        : null;
}
