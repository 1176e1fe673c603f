using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Gateway.Artifacts;
using OrleansFlow.Gateway.FlowRuns;
using OrleansFlow.Grains.TaskRuns;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Runtime;
using Wire = OrleansFlow.Client;

namespace OrleansFlow.Gateway.TaskRuns;

/// <summary>Routes under <c>/api/task_runs</c> and <c>/api/task_run_states</c>.</summary>
internal static class TaskRunEndpoints
{
    public static void MapTaskRuns(this RouteGroupBuilder api)
    {
        var runs = api.MapGroup("/task_runs");
        runs.MapPost("/", CreateAsync);
        runs.MapPost("/begin", BeginAsync);
        runs.MapGet("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await silo.TaskRun(id).GetAsync(cancellationToken).ConfigureAwait(false) is { } run
                ? ApiResults.Json(RunEstimates.Apply(run, silo.Clock.GetUtcNow()))
                : ApiResults.NotFound("Task run"));
        runs.MapPatch("/{id}", async (Guid id, HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<TaskRunUpdateRequest>(context, allowEmpty: true).ConfigureAwait(false);
            var name = request.Name is null ? null : Check.MaxLength(request.Name, 1024, "name");
            var grain = silo.TaskRun(id);
            var found = name is null
                ? await grain.GetAsync(context.RequestAborted).ConfigureAwait(false) is not null
                : await grain.RenameAsync(name, context.RequestAborted).ConfigureAwait(false);
            return found
                ? Results.NoContent()
                : ApiResults.NotFound("Task run");
        });
        runs.MapDelete("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await silo.TaskRun(id).DeleteAsync(cancellationToken).ConfigureAwait(false) ? Results.NoContent() : ApiResults.NotFound("Task run"));
        runs.MapPost("/{id}/set_state", async (Guid id, HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<Wire.SetStateRequest>(context, requiredField: "state").ConfigureAwait(false);
            var (proposal, artifact) = ResultArtifacts.Split(request.State.ToProposal("state"));
            var result = await silo.TaskRun(id).SetStateAsync(proposal!, request.Force, context.RequestAborted).ConfigureAwait(false);
            await ResultArtifacts.RecordAsync(silo, artifact, result.Result, result.Result.State?.StateDetails.FlowRunId, id, context.RequestAborted)
                .ConfigureAwait(false);
            return FlowRunEndpoints.Answer(result);
        });
        runs.MapPost("/filter", async (HttpContext context, RunQueries queries, OrleansFlowSilo silo) =>
        {
            var found = await queries.FilterTaskRunsAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false);
            var now = silo.Clock.GetUtcNow();
            return ApiResults.Json(found.Select(r => RunEstimates.Apply(r, now)));
        });
        runs.MapPost("/count", async (HttpContext context, RunQueries queries) =>
            ApiResults.Json(await queries.CountTaskRunsAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)));

        var states = api.MapGroup("/task_run_states");
        states.MapGet("/", async (string? task_run_id, RunQueries queries, CancellationToken cancellationToken) =>
            ApiResults.Json(await queries.TaskRunStatesAsync(
                QueryValue.Guid(task_run_id, "task_run_id") ?? throw new ApiValidationException([new ApiError(["query", "task_run_id"], "field required", "value_error.missing")]),
                cancellationToken).ConfigureAwait(false)));
        states.MapGet("/{id}", async (Guid id, RunQueries queries, CancellationToken cancellationToken) =>
            await queries.TaskRunStateAsync(id, cancellationToken).ConfigureAwait(false) is { } state
                ? ApiResults.Json(state)
                : ApiResults.NotFound("Task run state"));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, OrleansFlowSilo silo)
    {
        var request = await RequestBody.ReadAsync<Wire.TaskRunCreate>(context).ConfigureAwait(false);
        var (run, initial) = Build(request, "");
        var (proposal, artifact) = ResultArtifacts.Split(initial);
        var (stored, created) = await silo.TaskRun(silo.NewTaskRunId(run.FlowRunId)).CreateAsync(run, proposal, context.RequestAborted).ConfigureAwait(false);
        await ResultArtifacts.RecordCreatedAsync(silo, artifact, created, stored.FlowRunId, stored.Id, context.RequestAborted).ConfigureAwait(false);
        return ApiResults.Json(RunEstimates.Apply(stored, silo.Clock.GetUtcNow()), created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    /// <summary><c>POST /api/task_runs/begin</c>: creates the task run (or finds the one of the same flow run, task key and
    /// dynamic key) and proposes <c>state</c> for it with the rules applied, in one transaction, answering
    /// <c>{"task_run": ..., "orchestration_result": ...}</c>: the SDK's create-then-RUNNING in one round trip.</summary>
    private static async Task<IResult> BeginAsync(HttpContext context, OrleansFlowSilo silo)
    {
        var request = await RequestBody.ReadAsync<Wire.TaskRunBegin>(context, requiredField: "task_run").ConfigureAwait(false);
        var (run, initial) = Build(request.TaskRun, "task_run.");
        var (proposal, artifact) = ResultArtifacts.Split(request.State.ToProposal("state"));
        var (current, created, answer) = await silo.TaskRun(silo.NewTaskRunId(run.FlowRunId)).BeginAsync(run, initial, proposal!, context.RequestAborted).ConfigureAwait(false);
        await ResultArtifacts.RecordAsync(silo, artifact, answer.Result, current.FlowRunId, current.Id, context.RequestAborted).ConfigureAwait(false);
        return ApiResults.Json(new TaskRunBeginResponse(RunEstimates.Apply(current, silo.Clock.GetUtcNow()), answer.Result),
            created || answer.Written ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static (TaskRun Run, Grains.States.ProposedState? Initial) Build(Wire.TaskRunCreate request, string prefix)
    {
        var policy = request.EmpiricalPolicy?.ToGrains();
        var run = new TaskRun
        {
            Id = Guid.Empty,
            Name = string.IsNullOrEmpty(request.Name) ? RunNames.Next() : Check.MaxLength(request.Name, 1024, prefix + "name"),
            FlowRunId = request.FlowRunId,
            TaskKey = Check.MaxLength(Check.NotEmpty(request.TaskKey, prefix + "task_key"), 2048, prefix + "task_key"),
            DynamicKey = Check.MaxLength(request.DynamicKey, 2048, prefix + "dynamic_key"),
            CacheKey = request.CacheKey,
            CacheExpiration = request.CacheExpiration,
            TaskVersion = request.TaskVersion,
            EmpiricalPolicy = policy?.Problem() is var (field, reason)
                ? throw ApiValidationException.Field($"{prefix}empirical_policy.{field}", reason)
                : policy ?? new TaskRunPolicy(),
            Tags = Check.Tags(request.Tags, prefix + "tags"),
            TaskInputs = WireRecords.TaskInputs(request.TaskInputs),
        };
        return (run, request.State?.ToProposal(prefix + "state"));
    }
}
