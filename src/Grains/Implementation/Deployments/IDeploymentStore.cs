namespace OrleansFlow.Grains.Deployments;

/// <summary>What <see cref="DeploymentGrain"/> asks of the database: the deployment, and its scheduled runs. Implemented
/// by the silo.</summary>
public interface IDeploymentStore
{
    /// <summary>The deployment; null when it does not exist.</summary>
    Task<Deployment?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Creates the deployment's missing upcoming runs from <paramref name="now"/> on, each with its idempotency key
    /// (a time already scheduled makes no second run).</summary>
    /// <returns>How many runs were created.</returns>
    /// <exception cref="Orchestration.ReferenceNotFoundException">The deployment's flow is gone.</exception>
    /// <exception cref="KeyNotFoundException">The deployment's work pool is gone.</exception>
    Task<int> ScheduleRunsAsync(Deployment deployment, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes the deployment's scheduled runs that have not started (its schedule changed or stopped).</summary>
    Task DeleteFutureRunsAsync(Guid id, CancellationToken cancellationToken);
}
