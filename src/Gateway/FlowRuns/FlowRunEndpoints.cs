using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Gateway.Artifacts;
using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Runtime;
using Wire = OrleansFlow.Client;

namespace OrleansFlow.Gateway.FlowRuns;

/// <summary>Routes under <c>/api/flow_runs</c> and <c>/api/flow_run_states</c>.</summary>
internal static class FlowRunEndpoints
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    public static void MapFlowRuns(this RouteGroupBuilder api)
    {
        var runs = api.MapGroup("/flow_runs");
        runs.MapPost("/", CreateAsync);
        runs.MapGet("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await silo.FlowRun(id).GetAsync(cancellationToken).ConfigureAwait(false) is { } run
                ? ApiResults.Json(RunEstimates.Apply(run, silo.Clock.GetUtcNow()))
                : ApiResults.NotFound("Flow run"));
        runs.MapPatch("/{id}", UpdateAsync);
        runs.MapDelete("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await silo.FlowRun(id).DeleteAsync(cancellationToken).ConfigureAwait(false) ? Results.NoContent() : ApiResults.NotFound("Flow run"));
        runs.MapPost("/{id}/set_state", async (Guid id, HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<Wire.SetStateRequest>(context, requiredField: "state").ConfigureAwait(false);
            var (proposal, artifact) = ResultArtifacts.Split(request.State.ToProposal("state"));
            var result = await silo.FlowRun(id).SetStateAsync(proposal!, request.Force, context.RequestAborted).ConfigureAwait(false);
            await ResultArtifacts.RecordAsync(silo, artifact, result.Result, id, null, context.RequestAborted).ConfigureAwait(false);
            return Answer(result);
        });
        runs.MapPost("/{id}/resume", FlowRunInputEndpoints.ResumeAsync);
        runs.MapPost("/filter", async (HttpContext context, RunQueries queries, OrleansFlowSilo silo) =>
        {
            var runs = await queries.FilterFlowRunsAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false);
            var now = silo.Clock.GetUtcNow();
            return ApiResults.Json(runs.Select(r => RunEstimates.Apply(r, now)));
        });
        runs.MapPost("/count", async (HttpContext context, RunQueries queries) =>
            ApiResults.Json(await queries.CountFlowRunsAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)));
        runs.MapPost("/lateness", async (HttpContext context, RunQueries queries) =>
            ApiResults.Json(await queries.AverageLatenessAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)));
        runs.MapGet("/{id}/graph", async (Guid id, OrleansFlowSilo silo, RunQueries queries, CancellationToken cancellationToken) =>
        {
            if (await silo.FlowRun(id).GetAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                return ApiResults.NotFound("Flow run");
            }

            return ApiResults.Json(await FlowRunGraph.BuildAsync(id, queries, silo.Clock.GetUtcNow(), cancellationToken).ConfigureAwait(false));
        });

        var states = api.MapGroup("/flow_run_states");
        states.MapGet("/", async (string? flow_run_id, RunQueries queries, CancellationToken cancellationToken) =>
            ApiResults.Json(await queries.FlowRunStatesAsync(
                QueryValue.Guid(flow_run_id, "flow_run_id") ?? throw new ApiValidationException([new ApiError(["query", "flow_run_id"], "field required", "value_error.missing")]),
                cancellationToken).ConfigureAwait(false)));
        states.MapGet("/{id}", async (Guid id, RunQueries queries, CancellationToken cancellationToken) =>
            await queries.FlowRunStateAsync(id, cancellationToken).ConfigureAwait(false) is { } state
                ? ApiResults.Json(state)
                : ApiResults.NotFound("Flow run state"));
    }

    /// <summary>201 when a state was written, 200 when not: the orchestration result in Prefect's shape.</summary>
    internal static IResult Answer(SetStateResult result) =>
        ApiResults.Json(result.Result, result.Written ? StatusCodes.Status201Created : StatusCodes.Status200OK);

    private static async Task<IResult> CreateAsync(HttpContext context, OrleansFlowSilo silo)
    {
        var request = await RequestBody.ReadAsync<Wire.FlowRunCreate>(context).ConfigureAwait(false);
        var (proposal, artifact) = ResultArtifacts.Split(request.State?.ToProposal("state"));
        var run = new FlowRun
        {
            Id = Guid.Empty,
            Name = string.IsNullOrEmpty(request.Name) ? RunNames.Next() : Check.MaxLength(request.Name, 1024, "name"),
            FlowId = request.FlowId,
            DeploymentId = request.DeploymentId,
            FlowVersion = request.FlowVersion,
            Parameters = JsonChecks.Object(request.Parameters, "parameters") ?? EmptyObject,
            Context = JsonChecks.Object(request.Context, "context") ?? EmptyObject,
            ParentTaskRunId = request.ParentTaskRunId,
            InfrastructureDocumentId = request.InfrastructureDocumentId,
            EmpiricalPolicy = request.EmpiricalPolicy?.ToGrains("empirical_policy") ?? new FlowRunPolicy(),
            Tags = Check.Tags(request.Tags),
            IdempotencyKey = request.IdempotencyKey,
            WorkPoolName = request.WorkPoolName,
            WorkQueueName = request.WorkQueueName,
        };

        var (stored, created) = await silo.FlowRun(silo.NewId()).CreateAsync(run, proposal, context.RequestAborted).ConfigureAwait(false);
        await ResultArtifacts.RecordCreatedAsync(silo, artifact, created, stored.Id, null, context.RequestAborted).ConfigureAwait(false);
        return ApiResults.Json(RunEstimates.Apply(stored, silo.Clock.GetUtcNow()), created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> UpdateAsync(Guid id, HttpContext context, OrleansFlowSilo silo)
    {
        var request = await RequestBody.ReadAsync<Wire.FlowRunUpdate>(context, allowEmpty: true).ConfigureAwait(false);
        var parameters = JsonChecks.Object(request.Parameters, "parameters");
        var tags = request.Tags is null ? null : Check.Tags(request.Tags);
        var found = await silo.FlowRun(id).UpdateAsync(new FlowRunUpdate
        {
            Name = request.Name,
            FlowVersion = request.FlowVersion,
            Parameters = parameters,
            EmpiricalPolicy = request.EmpiricalPolicy?.ToGrains("empirical_policy"),
            Tags = tags,
            InfrastructurePid = request.InfrastructurePid,
        }, context.RequestAborted).ConfigureAwait(false);
        return found ? Results.NoContent() : ApiResults.NotFound("Flow run");
    }
}
