namespace OrleansFlow.Client;

public sealed partial class OrleansFlowClient
{
    /// <summary><c>POST /api/deployments/</c> (an upsert by flow and name).</summary>
    /// <exception cref="OrleansFlowApiException">The server refused the call (422 names the field).</exception>
    public Task<Deployment> CreateDeploymentAsync(DeploymentCreate deployment, CancellationToken cancellationToken = default) =>
        PostAsync("deployments/", deployment, Types.DeploymentCreate, Types.Deployment, cancellationToken);

    /// <summary><c>GET /api/deployments/{id}</c>.</summary>
    /// <exception cref="OrleansFlowApiException">No such deployment (404), or the server refused the call.</exception>
    public Task<Deployment> ReadDeploymentAsync(Guid id, CancellationToken cancellationToken = default) =>
        GetAsync($"deployments/{id}", Types.Deployment, cancellationToken);

    /// <summary><c>POST /api/deployments/{id}/create_flow_run</c>: a SCHEDULED run of the deployment, due now.</summary>
    /// <exception cref="OrleansFlowApiException">No such deployment (404), or the server refused the call.</exception>
    public Task<FlowRun> CreateFlowRunFromDeploymentAsync(Guid id, DeploymentFlowRunCreate? run = null, CancellationToken cancellationToken = default) =>
        PostAsync($"deployments/{id}/create_flow_run", run ?? new DeploymentFlowRunCreate(), Types.DeploymentFlowRunCreate, Types.FlowRun, cancellationToken);
}
