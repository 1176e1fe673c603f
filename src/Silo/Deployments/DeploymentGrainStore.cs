using OrleansFlow.Grains.Deployments;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.Deployments;

/// <summary>The deployment grain's store over this silo's database: <see cref="DeploymentCatalog"/>.</summary>
internal sealed class DeploymentGrainStore(OrleansFlowSilo silo) : IDeploymentStore
{
    public Task<Deployment?> GetAsync(Guid id, CancellationToken cancellationToken) => new DeploymentCatalog(silo).GetAsync(id, cancellationToken);

    public Task<int> ScheduleRunsAsync(Deployment deployment, DateTimeOffset now, CancellationToken cancellationToken) =>
        new DeploymentCatalog(silo).ScheduleRunsAsync(deployment, now, cancellationToken);

    public Task DeleteFutureRunsAsync(Guid id, CancellationToken cancellationToken) => new DeploymentCatalog(silo).DeleteFutureRunsAsync(id, cancellationToken);
}
