namespace OrleansFlow.Gateway.Logs;

/// <summary>One entry of the list <c>POST /api/logs/</c> takes.</summary>
public sealed class LogCreateRequest
{
    /// <summary>The logger name (required).</summary>
    public string? Name { get; init; }

    /// <summary>The level (required).</summary>
    public int? Level { get; init; }

    /// <summary>The message (required).</summary>
    public string? Message { get; init; }

    /// <summary>When the line was logged (required).</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The flow run (required).</summary>
    public Guid? FlowRunId { get; init; }

    /// <summary>The task run, if any.</summary>
    public Guid? TaskRunId { get; init; }
}
