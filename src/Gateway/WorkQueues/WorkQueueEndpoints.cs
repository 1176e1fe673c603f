using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Gateway.WorkPools;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.WorkPools;

namespace OrleansFlow.Gateway.WorkQueues;

/// <summary>Routes under <c>/api/work_queues</c>: Prefect's legacy queues, which live in the default agent pool, and the
/// agent poll.</summary>
internal static class WorkQueueEndpoints
{
    public static void MapWorkQueues(this RouteGroupBuilder api)
    {
        var queues = api.MapGroup("/work_queues");
        queues.MapPost("/", async (HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<WorkQueueCreateRequest>(context).ConfigureAwait(false);
            var queue = WorkPoolEndpoints.ToQueue(request);
            var (_, created) = await new WorkPoolCatalog(silo).CreateQueueAsync(WorkPoolCatalog.DefaultAgentPoolName, queue, priorityGiven: true, context.RequestAborted)
                .ConfigureAwait(false);
            return created is null
                ? ApiResults.Conflict("A work queue with this name already exists.")
                : ApiResults.Json(created, StatusCodes.Status201Created);
        });
        queues.MapPost("/filter", async (HttpContext context, OrleansFlowSilo silo) =>
            ApiResults.Json(await new WorkPoolCatalog(silo).FilterQueuesAsync(null, await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)));
        queues.MapGet("/name/{name}", async (string name, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new WorkPoolCatalog(silo).GetQueueAsync(WorkPoolCatalog.DefaultAgentPoolName, name, cancellationToken).ConfigureAwait(false) is { } queue
                ? ApiResults.Json(queue)
                : WorkPoolEndpoints.QueueNotFound());
        queues.MapGet("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new WorkPoolCatalog(silo).GetQueueByIdAsync(id, cancellationToken).ConfigureAwait(false) is { } queue ? ApiResults.Json(queue) : WorkPoolEndpoints.QueueNotFound());
        queues.MapPatch("/{id}", async (Guid id, HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<WorkQueueUpdateRequest>(context, allowEmpty: true).ConfigureAwait(false);
            return WorkPoolEndpoints.Changed(await new WorkPoolCatalog(silo).UpdateQueueByIdAsync(id, WorkPoolChecks.QueueUpdate(request), context.RequestAborted).ConfigureAwait(false));
        });
        queues.MapDelete("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
        {
            try
            {
                return await new WorkPoolCatalog(silo).DeleteQueueByIdAsync(id, cancellationToken).ConfigureAwait(false) ? Results.NoContent() : WorkPoolEndpoints.QueueNotFound();
            }
            catch (InvalidOperationException ex)
            {
                return ApiResults.Conflict(ex.Message);
            }
        });
        queues.MapPost("/{id}/get_runs", async (Guid id, HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<WorkQueueRunsRequest>(context, allowEmpty: true).ConfigureAwait(false);
            var limit = request.Limit is < 0 ? throw ApiValidationException.Field("limit", "ensure this value is greater than or equal to 0") : request.Limit;
            var runs = await new WorkPoolCatalog(silo).GetQueueRunsAsync(id, request.ScheduledBefore, limit, request.AgentId?.ToString(), context.RequestAborted)
                .ConfigureAwait(false);
            var now = silo.Clock.GetUtcNow();
            return runs is null ? WorkPoolEndpoints.QueueNotFound() : ApiResults.Json(runs.Select(r => RunEstimates.Apply(r, now)));
        });
        queues.MapGet("/{id}/status", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new WorkPoolCatalog(silo).QueueHealthAsync(id, cancellationToken).ConfigureAwait(false) is { } health
                ? ApiResults.Json(new
                {
                    healthy = health.Healthy,
                    late_runs_count = health.LateRunsCount,
                    last_polled = health.LastPolled,
                    health_check_policy = new { maximum_late_runs = 0, maximum_seconds_since_last_polled = 60 },
                })
                : WorkPoolEndpoints.QueueNotFound());
    }
}
