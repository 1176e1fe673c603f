using System.Text.Json;

namespace OrleansFlow.Client;

/// <summary>A task run's retry policy (Prefect's <c>TaskRunPolicy</c>).</summary>
public sealed record TaskRunPolicy
{
    /// <summary>Deprecated in Prefect; always 0.</summary>
    public int MaxRetries { get; init; }

    /// <summary>Deprecated in Prefect; always 0.</summary>
    public double RetryDelaySeconds { get; init; }

    /// <summary>How many times a failed task is retried; null or 0 never.</summary>
    public int? Retries { get; init; }

    /// <summary>Seconds between retries: a number, or a list (one delay per retry).</summary>
    public JsonElement? RetryDelay { get; init; }

    /// <summary>Random extra delay, as a factor of the delay.</summary>
    public double? RetryJitterFactor { get; init; }
}
