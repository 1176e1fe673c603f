namespace OrleansFlow.Gateway.Deployments;

/// <summary>Body of <c>POST /api/deployments/get_scheduled_flow_runs</c> (Prefect 2.14+, polled by <c>flow.serve</c>'s runner).</summary>
public sealed class DeploymentScheduledRunsRequest
{
    /// <summary>The deployments whose scheduled runs are wanted (required).</summary>
    public List<Guid>? DeploymentIds { get; init; }

    /// <summary>Only runs due before this time; default any time.</summary>
    public DateTimeOffset? ScheduledBefore { get; init; }

    /// <summary>At most this many runs; default (and at most) 200.</summary>
    public int? Limit { get; init; }
}
