using System.Text.Json;

namespace OrleansFlow.Grains.TaskRuns;

/// <summary>A task run's retry policy (Prefect's <c>empirical_policy</c> on a task run).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("OrleansFlow.TaskRunPolicy")]
public sealed record TaskRunPolicy
{
    /// <summary>Deprecated Prefect field kept for wire compatibility.</summary>
    public int MaxRetries { get; init; }

    /// <summary>Deprecated Prefect field kept for wire compatibility.</summary>
    public double RetryDelaySeconds { get; init; }

    /// <summary>How many times a failed run is retried; null or 0 means never.</summary>
    public int? Retries { get; init; }

    /// <summary>Seconds to wait before a retry: a number, or a list with one delay per retry
    /// (the last one repeats). Kept as sent so that it round-trips unchanged.</summary>
    public JsonElement? RetryDelay { get; init; }

    /// <summary>Random jitter added to a retry delay, as a factor of the delay; null means none.</summary>
    public double? RetryJitterFactor { get; init; }

    /// <summary>The delays of <see cref="RetryDelay"/> as a list (empty when unset).</summary>
    public IReadOnlyList<double> RetryDelays()
    {
        if (RetryDelay is not { } delay)
        {
            return [];
        }

        return delay.ValueKind switch
        {
            JsonValueKind.Number => [delay.GetDouble()],
            JsonValueKind.Array => [.. delay.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Number).Select(e => e.GetDouble())],
            _ => [],
        };
    }
}
