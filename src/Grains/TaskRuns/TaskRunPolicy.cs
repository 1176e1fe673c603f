using System.Globalization;
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

    /// <summary>The longest retry delay: 3,650 days (10 years), so a due time stays a date.</summary>
    public const double MaxRetryDelaySeconds = 3650 * 86400;

    /// <summary>The most delays <see cref="RetryDelay"/> may list (Prefect's limit).</summary>
    public const int MaxRetryDelays = 50;

    /// <summary>The largest <see cref="RetryJitterFactor"/>.</summary>
    public const double MaxRetryJitterFactor = 100;

    /// <summary>The delays of <see cref="RetryDelay"/> as a list (empty when unset), each clamped to
    /// [0, <see cref="MaxRetryDelaySeconds"/>].</summary>
    public IReadOnlyList<double> RetryDelays()
    {
        if (RetryDelay is not { } delay)
        {
            return [];
        }

        return delay.ValueKind switch
        {
            JsonValueKind.Number => [Clamp(delay)],
            JsonValueKind.Array => [.. delay.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Number).Select(Clamp)],
            _ => [],
        };
    }

    /// <summary>The first field of this policy out of range (its name, relative to the policy, and why), or null.</summary>
    public (string Field, string Reason)? Problem()
    {
        if (Retries is < 0)
        {
            return ("retries", "must be at least 0");
        }

        if (RetryJitterFactor is { } jitter && !(jitter >= 0 && jitter <= MaxRetryJitterFactor))
        {
            return ("retry_jitter_factor", string.Create(CultureInfo.InvariantCulture, $"must be between 0 and {MaxRetryJitterFactor}"));
        }

        if (RetryDelay is not { ValueKind: not JsonValueKind.Null } delay)
        {
            return null;
        }

        if (delay.ValueKind == JsonValueKind.Array)
        {
            if (delay.GetArrayLength() > MaxRetryDelays)
            {
                return ("retry_delay", string.Create(CultureInfo.InvariantCulture, $"can list at most {MaxRetryDelays} delays"));
            }

            var i = 0;
            foreach (var item in delay.EnumerateArray())
            {
                if (DelayProblem(item) is { } reason)
                {
                    return (string.Create(CultureInfo.InvariantCulture, $"retry_delay.{i}"), reason);
                }

                i++;
            }

            return null;
        }

        return DelayProblem(delay) is { } problem ? ("retry_delay", problem) : null;
    }

    private static string? DelayProblem(JsonElement delay) =>
        delay.ValueKind != JsonValueKind.Number ? "value is not a valid number of seconds"
        : delay.TryGetDouble(out var seconds) && seconds >= 0 && seconds <= MaxRetryDelaySeconds ? null
        : string.Create(CultureInfo.InvariantCulture, $"must be between 0 and {MaxRetryDelaySeconds} seconds (10 years)");

    private static double Clamp(JsonElement delay) =>
        delay.TryGetDouble(out var seconds) && double.IsFinite(seconds) ? Math.Clamp(seconds, 0, MaxRetryDelaySeconds) : MaxRetryDelaySeconds;
}
