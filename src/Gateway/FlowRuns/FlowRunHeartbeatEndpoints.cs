using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Gateway.FlowRuns;

/// <summary>The heartbeat extension route: <c>POST /api/flow_runs/{id}/heartbeat</c> (204; 404 for an unknown run). A
/// Prefect client never calls it; OrleansFlow's SDK and worker send one while a run is RUNNING, and the run's grain marks
/// a run that stops sending them CRASHED after <see cref="SiloOptions.HeartbeatTimeout"/>.</summary>
internal static class FlowRunHeartbeatEndpoints
{
    public static void MapFlowRunHeartbeats(this RouteGroupBuilder api) =>
        api.MapPost("/flow_runs/{id}/heartbeat", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await silo.FlowRun(id).HeartbeatAsync(cancellationToken).ConfigureAwait(false)
                ? Results.NoContent()
                : ApiResults.NotFound("Flow run"));
}
