namespace OrleansFlow.Client;

/// <summary>Body of <c>PATCH /api/flow_runs/{id}</c>: the fields to change (null ones are left as they are).</summary>
public sealed record FlowRunUpdate
{
    /// <summary>A new name.</summary>
    public string? Name { get; init; }

    /// <summary>The id of the run's infrastructure (a process id, a Kubernetes Job).</summary>
    public string? InfrastructurePid { get; init; }
}
