namespace OrleansFlow.Silo.Logs;

/// <summary>One log line of a flow run (and optionally one of its task runs), as shipped by the client.</summary>
public sealed record RunLog
{
    /// <summary>The log's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>When the server stored it.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When it last changed (same as <see cref="Created"/>: logs are not changed).</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>The logger name, e.g. <c>prefect.flow_runs</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The level, as Python's logging numbers it (10 debug, 20 info, 30 warning, 40 error, 50 critical).</summary>
    public required int Level { get; init; }

    /// <summary>The message.</summary>
    public required string Message { get; init; }

    /// <summary>When the line was logged.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The flow run it belongs to.</summary>
    public required Guid FlowRunId { get; init; }

    /// <summary>The task run it belongs to, if any.</summary>
    public Guid? TaskRunId { get; init; }
}
