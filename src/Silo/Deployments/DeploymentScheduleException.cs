namespace OrleansFlow.Silo.Deployments;

/// <summary>A legacy, one-schedule operation (pause, resume, <c>schedule</c>/<c>is_schedule_active</c> in an update) was
/// asked of a deployment with several schedules, which Prefect refuses with 422.</summary>
/// <param name="deploymentId">The deployment.</param>
public sealed class DeploymentScheduleException(Guid deploymentId)
    : Exception($"Error updating deployment: Deployment '{deploymentId}' has multiple schedules. Please use the UI or update your client to adjust this deployment's schedules.")
{
    /// <summary>The deployment.</summary>
    public Guid DeploymentId { get; } = deploymentId;
}
