using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Gateway.FlowRuns;
using OrleansFlow.Grains.Deployments;
using OrleansFlow.Grains.Schedules;
using OrleansFlow.Silo.Deployments;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.WorkPools;
using Wire = OrleansFlow.Client;

namespace OrleansFlow.Gateway.Deployments;

/// <summary>Routes under <c>/api/deployments</c>.</summary>
internal static class DeploymentEndpoints
{
    public static void MapDeployments(this RouteGroupBuilder api)
    {
        var deployments = api.MapGroup("/deployments");
        deployments.MapPost("/", CreateAsync);
        deployments.MapPost("/filter", async (HttpContext context, OrleansFlowSilo silo) =>
            ApiResults.Json(await new DeploymentCatalog(silo).FilterAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)));
        deployments.MapPost("/count", async (HttpContext context, OrleansFlowSilo silo) =>
            ApiResults.Json(await new DeploymentCatalog(silo).CountAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)));
        deployments.MapPost("/get_scheduled_flow_runs", ScheduledRunsAsync);
        deployments.MapGet("/name/{flow_name}/{deployment_name}", async (string flow_name, string deployment_name, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new DeploymentCatalog(silo).GetByNameAsync(flow_name, deployment_name, cancellationToken).ConfigureAwait(false) is { } deployment
                ? ApiResults.Json(deployment)
                : NotFound());
        deployments.MapGet("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new DeploymentCatalog(silo).GetAsync(id, cancellationToken).ConfigureAwait(false) is { } deployment ? ApiResults.Json(deployment) : NotFound());
        deployments.MapPatch("/{id}", UpdateAsync);
        deployments.MapDelete("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new DeploymentCatalog(silo).DeleteAsync(id, cancellationToken).ConfigureAwait(false) ? Results.NoContent() : NotFound());
        deployments.MapPost("/{id}/set_schedule_active", (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            DeploymentScheduleEndpoints.SetActiveAsync(silo, id, true, cancellationToken));
        deployments.MapPost("/{id}/set_schedule_inactive", (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            DeploymentScheduleEndpoints.SetActiveAsync(silo, id, false, cancellationToken));
        deployments.MapPost("/{id}/create_flow_run", CreateFlowRunAsync);
        deployments.MapPost("/{id}/schedule", async (Guid id, HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<DeploymentScheduleRequest>(context, allowEmpty: true).ConfigureAwait(false);
            var from = request.StartTime ?? silo.Clock.GetUtcNow();
            return await new DeploymentCatalog(silo).ScheduleAsync(id, from, context.RequestAborted).ConfigureAwait(false) is null
                ? NotFound()
                : ApiResults.Json<object?>(null);
        });
        deployments.MapGet("/{id}/work_queue_check", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
        {
            if (await new DeploymentCatalog(silo).GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } deployment)
            {
                return NotFound();
            }

            var queue = await new WorkPoolCatalog(silo).GetQueueAsync(deployment.WorkPoolName ?? WorkPoolCatalog.DefaultAgentPoolName,
                deployment.WorkQueueName ?? WorkPoolCatalog.DefaultQueueName, cancellationToken).ConfigureAwait(false);
            return ApiResults.Json(queue is null ? [] : new[] { queue });
        });
    }

    private static IResult NotFound() => ApiResults.NotFound("Deployment");

    private static async Task<IResult> CreateAsync(HttpContext context, OrleansFlowSilo silo)
    {
        var request = await RequestBody.ReadAsync<Wire.DeploymentCreate>(context).ConfigureAwait(false);
        var legacy = CheckSchedule(request.Schedule.ToElement());
        var schedules = DeploymentScheduleEndpoints.Entries(request.Schedules, silo, "schedules");
        if (schedules.Count == 0 && legacy is { } only)
        {
            // As Prefect 2.16+: a legacy schedule becomes the one schedule, active as is_schedule_active says.
            schedules = DeploymentScheduleEndpoints.Entries([JsonSerializer.SerializeToElement(new { schedule = only, active = request.IsScheduleActive ?? true })], silo, "schedule");
        }

        // paused and is_schedule_active say the same thing; paused wins.
        var active = request.Paused is { } paused ? !paused : request.IsScheduleActive ?? true;
        var deployment = new Deployment
        {
            Id = Guid.Empty,
            Name = Check.PathName(Check.MaxLength(Check.NotEmpty(request.Name, "name"), 255, "name"), "name"),
            FlowId = request.FlowId,
            IsScheduleActive = active,
            Paused = !active,
            Schedules = schedules,
            EnforceParameterSchema = request.EnforceParameterSchema ?? true,
            Parameters = request.Parameters.ToElement() ?? Empty(),
            Tags = Check.Tags(request.Tags),
            PullSteps = PullSteps(request.PullSteps),
            ManifestPath = request.ManifestPath,
            WorkQueueName = request.WorkQueueName,
            WorkPoolName = request.WorkPoolName,
            StorageDocumentId = request.StorageDocumentId,
            InfrastructureDocumentId = request.InfrastructureDocumentId,
            Schedule = legacy ?? schedules.FirstOrDefault(e => e.Active)?.Schedule ?? schedules.FirstOrDefault()?.Schedule,
            Description = request.Description,
            ParameterOpenapiSchema = request.ParameterOpenapiSchema.ToElement(),
            Path = request.Path,
            Version = request.Version,
            Entrypoint = request.Entrypoint,
            InfraOverrides = (request.InfraOverrides ?? request.JobVariables).ToElement() ?? Empty(),
        };
        CheckScheduledParameters(deployment);
        var (stored, created) = await new DeploymentCatalog(silo).UpsertAsync(deployment, context.RequestAborted).ConfigureAwait(false);
        return ApiResults.Json(stored, created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> UpdateAsync(Guid id, HttpContext context, OrleansFlowSilo silo)
    {
        var request = await RequestBody.ReadAsync<DeploymentUpdateRequest>(context, allowEmpty: true).ConfigureAwait(false);
        var parameters = JsonChecks.Object(request.Parameters, "parameters");
        var overrides = JsonChecks.Object(request.InfraOverrides, "infra_overrides") ?? JsonChecks.Object(request.JobVariables, "job_variables");
        var tags = request.Tags is null ? null : Check.Tags(request.Tags);
        var scheduleGiven = request.Schedule.ValueKind != JsonValueKind.Undefined;
        var legacy = scheduleGiven ? CheckSchedule(request.Schedule) : null;
        var schedules = request.Schedules is null ? null : DeploymentScheduleEndpoints.Entries(request.Schedules, silo, "schedules");
        var now = silo.Clock.GetUtcNow();
        Deployment Change(Deployment d)
        {
            var changed = d;
            if (schedules is not null)
            {
                changed = DeploymentScheduleEndpoints.WithLegacySchedule(changed with { Schedules = schedules });
            }

            // A legacy client's schedule / is_schedule_active edits the deployment's one schedule (Prefect refuses it
            // for a deployment with several).
            if (scheduleGiven || request.IsScheduleActive is not null)
            {
                if (changed.Schedules.Count > 1)
                {
                    throw new DeploymentScheduleException(d.Id);
                }

                var schedule = scheduleGiven ? legacy : changed.Schedule;
                var on = request.IsScheduleActive ?? changed.IsScheduleActive;
                changed = changed with
                {
                    Schedule = schedule,
                    Schedules = schedule is { } one
                        ? [new DeploymentScheduleEntry { Id = changed.Schedules.FirstOrDefault()?.Id ?? silo.NewId(), Created = now, Updated = now, Schedule = one, Active = on }]
                        : [],
                };
            }

            var active = request.Paused is { } paused ? !paused : request.IsScheduleActive ?? changed.IsScheduleActive;
            return changed with
            {
                IsScheduleActive = active,
                Paused = !active,
                EnforceParameterSchema = request.EnforceParameterSchema ?? changed.EnforceParameterSchema,
                Version = request.Version ?? d.Version,
                Description = request.Description ?? d.Description,
                Parameters = parameters ?? d.Parameters,
                Tags = tags ?? d.Tags,
                WorkQueueName = request.WorkQueueName ?? d.WorkQueueName,
                WorkPoolName = request.WorkPoolName ?? d.WorkPoolName,
                Path = request.Path ?? d.Path,
                InfraOverrides = overrides ?? d.InfraOverrides,
                Entrypoint = request.Entrypoint ?? d.Entrypoint,
                ManifestPath = request.ManifestPath ?? d.ManifestPath,
                StorageDocumentId = request.StorageDocumentId ?? d.StorageDocumentId,
                InfrastructureDocumentId = request.InfrastructureDocumentId ?? d.InfrastructureDocumentId,
            };
        }

        var catalog = new DeploymentCatalog(silo);
        if (await catalog.GetAsync(id, context.RequestAborted).ConfigureAwait(false) is { } current)
        {
            try
            {
                CheckScheduledParameters(Change(current));
            }
            catch (DeploymentScheduleException ex)
            {
                throw ApiValidationException.Field("schedules", ex.Message);
            }
        }

        var found = await DeploymentScheduleEndpoints.UpdateAsync(catalog, id, Change, context.RequestAborted).ConfigureAwait(false);
        return found ? Results.NoContent() : NotFound();
    }

    private static async Task<IResult> CreateFlowRunAsync(Guid id, HttpContext context, OrleansFlowSilo silo)
    {
        var request = await RequestBody.ReadAsync<Wire.DeploymentFlowRunCreate>(context, allowEmpty: true).ConfigureAwait(false);
        var runRequest = new DeploymentRunRequest
        {
            State = request.State?.ToProposal("state"),
            Name = string.IsNullOrEmpty(request.Name) ? RunNames.Next() : Check.MaxLength(request.Name, 1024, "name"),
            Parameters = request.Parameters.ToElement(),
            Context = request.Context.ToElement(),
            InfrastructureDocumentId = request.InfrastructureDocumentId,
            EmpiricalPolicy = request.EmpiricalPolicy?.ToGrains("empirical_policy"),
            Tags = Check.Tags(request.Tags),
            IdempotencyKey = request.IdempotencyKey,
            ParentTaskRunId = request.ParentTaskRunId,
            EnforceParameterSchema = request.EnforceParameterSchema,
        };
        try
        {
            var result = await new DeploymentCatalog(silo).CreateFlowRunAsync(id, runRequest, context.RequestAborted).ConfigureAwait(false);
            if (result is not var (run, created))
            {
                return NotFound();
            }

            return ApiResults.Json(RunEstimates.Apply(run, silo.Clock.GetUtcNow()), created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        }
        catch (DeploymentParameterException ex)
        {
            throw ApiValidationException.Field($"parameters.{ex.Parameter}", $"Validation failed for field '{ex.Parameter}': {ex.Reason}", "value_error.parameters");
        }
    }

    /// <summary>The SCHEDULED runs of the deployments, due before <c>scheduled_before</c>, soonest first: what a
    /// runner serving those deployments polls for (Prefect 2.14+).</summary>
    private static async Task<IResult> ScheduledRunsAsync(HttpContext context, OrleansFlowSilo silo, RunQueries queries)
    {
        var request = await RequestBody.ReadAsync<DeploymentScheduledRunsRequest>(context, requiredField: "deployment_ids").ConfigureAwait(false);
        var ids = Check.Required(request.DeploymentIds, "deployment_ids");
        var limit = request.Limit ?? FilterRequest.MaxLimit;
        if (limit is < 0 or > FilterRequest.MaxLimit)
        {
            throw ApiValidationException.Field("limit", $"must be between 0 and {FilterRequest.MaxLimit}");
        }

        var flowRuns = new JsonObject
        {
            ["state"] = new JsonObject { ["type"] = new JsonObject { ["any_"] = new JsonArray("SCHEDULED") } },
        };
        if (request.ScheduledBefore is { } before)
        {
            flowRuns["next_scheduled_start_time"] = new JsonObject { ["before_"] = before.ToString("O", CultureInfo.InvariantCulture) };
        }

        var filter = new JsonObject
        {
            ["deployments"] = new JsonObject
            {
                ["id"] = new JsonObject { ["any_"] = new JsonArray([.. ids.Select(id => (JsonNode?)id.ToString())]) },
            },
            ["flow_runs"] = flowRuns,
            ["sort"] = "NEXT_SCHEDULED_START_TIME_ASC",
            ["limit"] = limit,
        };
        using var body = JsonDocument.Parse(filter.ToJsonString());
        var runs = await queries.FilterFlowRunsAsync(body.RootElement, context.RequestAborted).ConfigureAwait(false);
        var now = silo.Clock.GetUtcNow();
        return ApiResults.Json(runs.Select(run => RunEstimates.Apply(run, now)));
    }

    /// <summary>An active schedule makes runs with the deployment's own parameters: refuses one whose parameters miss a
    /// required one or do not fit the schema, since every run it made would fail.</summary>
    private static void CheckScheduledParameters(Deployment deployment)
    {
        if (!deployment.EnforceParameterSchema || DeploymentScheduling.Active(deployment).Count == 0)
        {
            return;
        }

        if (ParameterSchema.Check(ParameterSchema.Merge(deployment.Parameters, null), deployment.ParameterOpenapiSchema) is var (parameter, reason))
        {
            throw ApiValidationException.Field($"parameters.{parameter}",
                $"the deployment has an active schedule, and its runs would fail: '{parameter}': {reason}", "value_error.parameters");
        }
    }

    private static JsonElement? CheckSchedule(JsonElement? schedule)
    {
        if (schedule is not { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } value)
        {
            return null;
        }

        try
        {
            ScheduleRules.Parse(value);
            return value;
        }
        catch (FormatException ex)
        {
            throw ApiValidationException.Field("schedule", ex.Message);
        }
    }

    private static JsonElement Empty() => JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>A deployment's <c>pull_steps</c>: absent, null, or a list of step objects (Prefect's
    /// <c>List[Dict[str, Any]]</c>); anything else is a 422 rather than a value a worker cannot use.</summary>
    private static JsonElement? PullSteps(JsonElement? steps) => steps switch
    {
        null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { ValueKind: JsonValueKind.Array } list when list.EnumerateArray().All(step => step.ValueKind == JsonValueKind.Object) => list,
        _ => throw ApiValidationException.Field("pull_steps", "value is not a valid list of steps (objects)", "type_error.list"),
    };
}
