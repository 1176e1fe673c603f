namespace OrleansFlow.Gateway.TaskRuns;

/// <summary>Body of <c>PATCH /api/task_runs/{id}</c>.</summary>
public sealed class TaskRunUpdateRequest
{
    /// <summary>New name; null keeps it.</summary>
    public string? Name { get; init; }
}
