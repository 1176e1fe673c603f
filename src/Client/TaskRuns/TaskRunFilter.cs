namespace OrleansFlow.Client;

/// <summary>Body of <c>POST /api/task_runs/filter</c>.</summary>
public sealed record TaskRunFilter
{
    /// <summary>Conditions on the task runs.</summary>
    public TaskRunConditions? TaskRuns { get; init; }

    /// <summary>At most this many (the server caps it at 200).</summary>
    public int? Limit { get; init; }
}
