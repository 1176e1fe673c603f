using System.Text.Json;

namespace OrleansFlow.Client;

/// <summary>What a new task run is created with (Prefect's <c>TaskRunCreate</c>).</summary>
internal sealed record TaskRunSpec
{
    public required Guid FlowRunId { get; init; }

    public string? Name { get; init; }

    public required string TaskKey { get; init; }

    public required string DynamicKey { get; init; }

    public string? CacheKey { get; init; }

    public DateTimeOffset? CacheExpiration { get; init; }

    public string? TaskVersion { get; init; }

    public int Retries { get; init; }

    public JsonElement? RetryDelay { get; init; }

    public double? RetryJitterFactor { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyDictionary<string, object[]> TaskInputs { get; init; } = new Dictionary<string, object[]>();
}
