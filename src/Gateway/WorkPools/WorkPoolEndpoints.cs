using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Gateway.FlowRuns;
using OrleansFlow.Grains.WorkPools;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.WorkPools;
using Wire = OrleansFlow.Client;

namespace OrleansFlow.Gateway.WorkPools;

/// <summary>Routes under <c>/api/work_pools</c>: pools, their queues and workers, and the worker poll.</summary>
internal static class WorkPoolEndpoints
{
    public static void MapWorkPools(this RouteGroupBuilder api)
    {
        var pools = api.MapGroup("/work_pools");
        pools.MapPost("/", CreateAsync);
        pools.MapPost("/filter", async (HttpContext context, OrleansFlowSilo silo) =>
            ApiResults.Json(await new WorkPoolCatalog(silo).FilterPoolsAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)));
        pools.MapPost("/count", async (HttpContext context, OrleansFlowSilo silo) =>
            ApiResults.Json(await new WorkPoolCatalog(silo).CountPoolsAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)));
        pools.MapGet("/{name}", async (string name, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new WorkPoolCatalog(silo).GetPoolAsync(name, cancellationToken).ConfigureAwait(false) is { } pool ? ApiResults.Json(pool) : PoolNotFound());
        pools.MapPatch("/{name}", async (string name, HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<WorkPoolUpdateRequest>(context, allowEmpty: true).ConfigureAwait(false);
            var (clear, limit) = WorkPoolChecks.PatchedLimit(request.ConcurrencyLimit);
            var update = new WorkPoolUpdate
            {
                Description = request.Description,
                IsPaused = request.IsPaused,
                BaseJobTemplate = JsonChecks.Object(request.BaseJobTemplate, "base_job_template"),
                ConcurrencyLimit = limit,
                ClearConcurrencyLimit = clear,
            };
            return await new WorkPoolCatalog(silo).UpdatePoolAsync(name, update, context.RequestAborted).ConfigureAwait(false) ? Results.NoContent() : PoolNotFound();
        });
        pools.MapDelete("/{name}", async (string name, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new WorkPoolCatalog(silo).DeletePoolAsync(name, cancellationToken).ConfigureAwait(false) ? Results.NoContent() : PoolNotFound());
        pools.MapPost("/{name}/get_scheduled_flow_runs", GetScheduledFlowRunsAsync);
        pools.MapPost("/{name}/workers/heartbeat", async (string name, HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<Wire.WorkerHeartbeat>(context).ConfigureAwait(false);
            var worker = Check.NotEmpty(request.Name, "name");
            var interval = request.HeartbeatIntervalSeconds is <= 0
                ? throw ApiValidationException.Field("heartbeat_interval_seconds", "ensure this value is greater than 0", "value_error.number.not_gt")
                : request.HeartbeatIntervalSeconds;
            return await new WorkPoolCatalog(silo).HeartbeatAsync(name, worker, context.RequestAborted, interval).ConfigureAwait(false) ? Results.NoContent() : PoolNotFound();
        });
        pools.MapPost("/{name}/workers/filter", async (string name, HttpContext context, OrleansFlowSilo silo) =>
            await new WorkPoolCatalog(silo).FilterWorkersAsync(name, await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)
                is { } workers ? ApiResults.Json(workers) : PoolNotFound());
        MapQueues(pools);
    }

    internal static IResult PoolNotFound() => ApiResults.NotFound("Work pool");

    private static void MapQueues(RouteGroupBuilder pools)
    {
        pools.MapPost("/{pool}/queues", async (string pool, HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<WorkQueueCreateRequest>(context).ConfigureAwait(false);
            var queue = ToQueue(request);
            var (found, created) = await new WorkPoolCatalog(silo).CreateQueueAsync(pool, queue, request.Priority is not null, context.RequestAborted).ConfigureAwait(false);
            return found is null ? PoolNotFound()
                : created is null ? ApiResults.Conflict("A work queue with this name already exists.")
                : ApiResults.Json(created, StatusCodes.Status201Created);
        });
        pools.MapPost("/{pool}/queues/filter", async (string pool, HttpContext context, OrleansFlowSilo silo) =>
            await new WorkPoolCatalog(silo).FilterQueuesAsync(pool, await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)
                is { } queues ? ApiResults.Json(queues) : PoolNotFound());
        pools.MapGet("/{pool}/queues/{name}", async (string pool, string name, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new WorkPoolCatalog(silo).GetQueueAsync(pool, name, cancellationToken).ConfigureAwait(false) is { } queue ? ApiResults.Json(queue) : QueueNotFound());
        pools.MapPatch("/{pool}/queues/{name}", async (string pool, string name, HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<WorkQueueUpdateRequest>(context, allowEmpty: true).ConfigureAwait(false);
            return Changed(await new WorkPoolCatalog(silo).UpdateQueueAsync(pool, name, WorkPoolChecks.QueueUpdate(request), context.RequestAborted).ConfigureAwait(false));
        });
        pools.MapDelete("/{pool}/queues/{name}", async (string pool, string name, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
        {
            try
            {
                return await new WorkPoolCatalog(silo).DeleteQueueAsync(pool, name, cancellationToken).ConfigureAwait(false) ? Results.NoContent() : QueueNotFound();
            }
            catch (InvalidOperationException ex)
            {
                return ApiResults.Conflict(ex.Message);
            }
        });
    }

    internal static WorkQueue ToQueue(WorkQueueCreateRequest request, int defaultPriority = 1) => new()
    {
        Id = Guid.Empty,
        WorkPoolId = Guid.Empty,
        Name = WorkPoolChecks.Name(request.Name),
        Description = request.Description ?? "",
        IsPaused = request.IsPaused ?? false,
        ConcurrencyLimit = WorkPoolChecks.Limit(request.ConcurrencyLimit),
        Priority = WorkPoolChecks.Priority(request.Priority) ?? defaultPriority,
        Filter = request.Filter is { ValueKind: JsonValueKind.Null } ? null : request.Filter,
    };

    internal static IResult QueueNotFound() => ApiResults.NotFound("Work queue");

    internal static IResult Changed(WorkPoolChange change) => change switch
    {
        WorkPoolChange.NotFound => QueueNotFound(),
        WorkPoolChange.NameTaken => ApiResults.Conflict("A work queue with this name already exists."),
        _ => Results.NoContent(),
    };

    private static async Task<IResult> CreateAsync(HttpContext context, OrleansFlowSilo silo)
    {
        var request = await RequestBody.ReadAsync<Wire.WorkPoolCreate>(context).ConfigureAwait(false);
        var pool = new WorkPool
        {
            Id = silo.NewId(),
            Name = WorkPoolChecks.Name(request.Name),
            Description = request.Description,
            Type = string.IsNullOrEmpty(request.Type) ? "prefect-agent" : request.Type,
            BaseJobTemplate = JsonChecks.Object(request.BaseJobTemplate, "base_job_template") ?? JsonDocument.Parse("{}").RootElement.Clone(),
            IsPaused = request.IsPaused ?? false,
            ConcurrencyLimit = WorkPoolChecks.Limit(request.ConcurrencyLimit),
        };
        return await new WorkPoolCatalog(silo).CreatePoolAsync(pool, context.RequestAborted).ConfigureAwait(false) is { } created
            ? ApiResults.Json(created, StatusCodes.Status201Created)
            : ApiResults.Conflict("A work pool with this name already exists.");
    }

    private static async Task<IResult> GetScheduledFlowRunsAsync(string name, HttpContext context, OrleansFlowSilo silo)
    {
        var request = await RequestBody.ReadAsync<Wire.GetScheduledFlowRuns>(context, allowEmpty: true).ConfigureAwait(false);
        var limit = request.Limit is < 0 ? throw ApiValidationException.Field("limit", "ensure this value is greater than or equal to 0") : request.Limit;
        var catalog = new WorkPoolCatalog(silo);
        var runs = request.WaitSeconds is > 0 and var wait
            ? await catalog.WaitForScheduledFlowRunsAsync(name, request.WorkQueueNames, request.ScheduledBefore, limit, request.WorkerName,
                TimeSpan.FromSeconds(Math.Min(wait, Wire.GetScheduledFlowRuns.MaxWaitSeconds)), context.RequestAborted).ConfigureAwait(false)
            : await catalog.GetScheduledFlowRunsAsync(name, request.WorkQueueNames, request.ScheduledBefore, limit, request.WorkerName,
                context.RequestAborted).ConfigureAwait(false);
        if (runs is null)
        {
            return PoolNotFound();
        }

        var now = silo.Clock.GetUtcNow();
        return ApiResults.Json(runs.Select(r => r with { FlowRun = RunEstimates.Apply(r.FlowRun, now) }));
    }
}
