using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Grains.Deployments;
using OrleansFlow.Grains.Schedules;
using OrleansFlow.Silo.Deployments;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Gateway.Deployments;

/// <summary>Prefect 2.16+'s schedules of a deployment (<c>/api/deployments/{id}/schedules</c>) and 2.18's
/// <c>pause_deployment</c> / <c>resume_deployment</c>.</summary>
internal static class DeploymentScheduleEndpoints
{
    public static void MapDeploymentSchedules(this RouteGroupBuilder api)
    {
        var deployments = api.MapGroup("/deployments");
        deployments.MapGet("/{id}/schedules", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new DeploymentCatalog(silo).GetAsync(id, cancellationToken).ConfigureAwait(false) is { } deployment
                ? ApiResults.Json(deployment.Schedules)
                : NotFound());
        deployments.MapPost("/{id}/schedules", async (Guid id, HttpContext context, OrleansFlowSilo silo) =>
        {
            var body = await ReadListAsync(context).ConfigureAwait(false);
            var added = Entries(body, silo, "schedules", bodyIsList: true);
            var found = await UpdateAsync(new DeploymentCatalog(silo), id, d => WithLegacySchedule(d with
            {
                Schedules = [.. d.Schedules, .. added.Select(s => s with { DeploymentId = id })],
            }), context.RequestAborted).ConfigureAwait(false);
            return found ? ApiResults.Json(added.Select(s => s with { DeploymentId = id }), StatusCodes.Status201Created) : NotFound();
        });
        deployments.MapPatch("/{id}/schedules/{schedule_id}", async (Guid id, Guid schedule_id, HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<DeploymentScheduleUpdateRequest>(context, allowEmpty: true).ConfigureAwait(false);
            var schedule = request.Schedule is { ValueKind: JsonValueKind.Object } given ? CheckSchedule(given, "schedule") : (JsonElement?)null;
            CheckPositive(request.MaxActiveRuns, "max_active_runs");
            CheckPositive(request.MaxScheduledRuns, "max_scheduled_runs");
            var scheduleFound = false;
            var now = silo.Clock.GetUtcNow();
            var found = await UpdateAsync(new DeploymentCatalog(silo), id, d =>
            {
                scheduleFound = d.Schedules.Any(s => s.Id == schedule_id);
                return WithLegacySchedule(d with
                {
                    Schedules = [.. d.Schedules.Select(s => s.Id != schedule_id ? s : s with
                    {
                        Schedule = schedule ?? s.Schedule,
                        Active = request.Active ?? s.Active,
                        MaxActiveRuns = request.MaxActiveRuns ?? s.MaxActiveRuns,
                        MaxScheduledRuns = request.MaxScheduledRuns ?? s.MaxScheduledRuns,
                        Catchup = request.Catchup ?? s.Catchup,
                        Updated = now,
                    })],
                });
            }, context.RequestAborted).ConfigureAwait(false);
            return !found ? NotFound() : scheduleFound ? Results.NoContent() : ScheduleNotFound();
        });
        deployments.MapDelete("/{id}/schedules/{schedule_id}", async (Guid id, Guid schedule_id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
        {
            var scheduleFound = false;
            var found = await UpdateAsync(new DeploymentCatalog(silo), id, d =>
            {
                scheduleFound = d.Schedules.Any(s => s.Id == schedule_id);
                return WithLegacySchedule(d with { Schedules = [.. d.Schedules.Where(s => s.Id != schedule_id)] });
            }, cancellationToken).ConfigureAwait(false);
            return !found ? NotFound() : scheduleFound ? Results.NoContent() : ScheduleNotFound();
        });
        deployments.MapPost("/{id}/pause_deployment", (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            SetActiveAsync(silo, id, false, cancellationToken));
        deployments.MapPost("/{id}/resume_deployment", (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            SetActiveAsync(silo, id, true, cancellationToken));
    }

    /// <summary>Pauses or resumes the deployment (also the legacy <c>set_schedule_active</c>/<c>inactive</c>): 422 when it
    /// has several schedules, as Prefect answers.</summary>
    public static async Task<IResult> SetActiveAsync(OrleansFlowSilo silo, Guid id, bool active, CancellationToken cancellationToken)
    {
        try
        {
            return await new DeploymentCatalog(silo).SetScheduleActiveAsync(id, active, cancellationToken).ConfigureAwait(false)
                ? ApiResults.Json<object?>(null)
                : NotFound();
        }
        catch (DeploymentScheduleException ex)
        {
            throw ApiValidationException.Field("schedules", ex.Message);
        }
    }

    /// <summary>Applies <paramref name="change"/> through the catalog, turning a refused one-schedule operation into 422.</summary>
    public static async Task<bool> UpdateAsync(DeploymentCatalog catalog, Guid id, Func<Deployment, Deployment> change, CancellationToken cancellationToken)
    {
        try
        {
            return await catalog.UpdateAsync(id, change, cancellationToken).ConfigureAwait(false);
        }
        catch (DeploymentScheduleException ex)
        {
            throw ApiValidationException.Field("schedules", ex.Message);
        }
    }

    /// <summary>The entries of a 2.16+ <c>schedules</c> list, checked (each needs a valid <c>schedule</c> object), with new ids.</summary>
    /// <exception cref="ApiValidationException">An entry is not valid; the error names it.</exception>
    public static List<DeploymentScheduleEntry> Entries(IReadOnlyList<JsonElement>? entries, OrleansFlowSilo silo, string field, bool bodyIsList = false)
    {
        var now = silo.Clock.GetUtcNow();
        var result = new List<DeploymentScheduleEntry>();
        for (var i = 0; i < (entries?.Count ?? 0); i++)
        {
            var entry = entries![i];
            var at = bodyIsList ? $"{i}" : $"{field}.{i}";
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("schedule", out var schedule) || schedule.ValueKind != JsonValueKind.Object)
            {
                throw ApiValidationException.Field($"{at}.schedule", "field required", "value_error.missing");
            }

            result.Add(new DeploymentScheduleEntry
            {
                Id = silo.NewId(),
                Created = now,
                Updated = now,
                Schedule = CheckSchedule(schedule, $"{at}.schedule"),
                Active = Flag(entry, "active", at) ?? true,
                MaxActiveRuns = CheckPositive(Int(entry, "max_active_runs", at), $"{at}.max_active_runs"),
                MaxScheduledRuns = CheckPositive(Int(entry, "max_scheduled_runs", at), $"{at}.max_scheduled_runs"),
                Catchup = Flag(entry, "catchup", at) ?? false,
            });
        }

        return result;
    }

    /// <summary>The legacy <c>schedule</c> field follows the schedules: the first active one's (what a 2.10 client reads).</summary>
    public static Deployment WithLegacySchedule(Deployment deployment) =>
        deployment with { Schedule = deployment.Schedules.FirstOrDefault(s => s.Active)?.Schedule ?? deployment.Schedules.FirstOrDefault()?.Schedule };

    /// <summary>A schedule object that the scheduler can read.</summary>
    /// <exception cref="ApiValidationException">It is not one; the error names <paramref name="field"/> and the reason.</exception>
    public static JsonElement CheckSchedule(JsonElement schedule, string field)
    {
        // The scheduler reads a field of another type as absent (a timezone of 5 as UTC); the API refuses it instead, as
        // Prefect's schema does. What is already stored keeps being read as before.
        foreach (var (name, kind, what) in TypedScheduleFields)
        {
            if (schedule.ValueKind == JsonValueKind.Object && schedule.TryGetProperty(name, out var value)
                && value.ValueKind != JsonValueKind.Null && !kind(value.ValueKind))
            {
                throw ApiValidationException.Field($"{field}.{name}", $"{name} must be {what}", "type_error");
            }
        }

        try
        {
            ScheduleRules.Parse(schedule);
            return schedule.Clone();
        }
        catch (FormatException ex)
        {
            throw ApiValidationException.Field(field, ex.Message);
        }
    }

    private static readonly (string Name, Func<JsonValueKind, bool> Kind, string What)[] TypedScheduleFields =
    [
        ("timezone", k => k == JsonValueKind.String, "a string (an IANA time zone)"),
        ("anchor_date", k => k == JsonValueKind.String, "a date-time string"),
        ("cron", k => k == JsonValueKind.String, "a string"),
        ("rrule", k => k == JsonValueKind.String, "a string"),
        ("day_or", k => k is JsonValueKind.True or JsonValueKind.False, "true or false"),
    ];

    private static async Task<List<JsonElement>> ReadListAsync(HttpContext context)
    {
        // The body is the list itself (FastAPI's single non-embedded body parameter).
        var body = await RequestBody.ReadAsync<JsonElement[]>(context).ConfigureAwait(false);
        return [.. body];
    }

    private static bool? Flag(JsonElement entry, string name, string at) =>
        !entry.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
        : throw ApiValidationException.Field($"{at}.{name}", "value could not be parsed to a boolean", "type_error.bool");

    private static int? Int(JsonElement entry, string name, string at) =>
        !entry.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number
        : throw ApiValidationException.Field($"{at}.{name}", "value is not a valid integer", "type_error.integer");

    private static int? CheckPositive(int? value, string field) =>
        value is <= 0 ? throw ApiValidationException.Field(field, "ensure this value is greater than 0", "value_error.number.not_gt") : value;

    private static IResult NotFound() => ApiResults.NotFound("Deployment");

    private static IResult ScheduleNotFound() => Results.Json(new { detail = "Schedule not found." }, statusCode: StatusCodes.Status404NotFound);
}

/// <summary>Body of <c>PATCH /api/deployments/{id}/schedules/{schedule_id}</c>: null keeps a field.</summary>
public sealed class DeploymentScheduleUpdateRequest
{
    /// <summary>Turns the schedule on or off.</summary>
    public bool? Active { get; init; }

    /// <summary>A new schedule object.</summary>
    public JsonElement? Schedule { get; init; }

    /// <summary>Stored; not enforced.</summary>
    public int? MaxActiveRuns { get; init; }

    /// <summary>Stored; not enforced.</summary>
    public int? MaxScheduledRuns { get; init; }

    /// <summary>Stored; not enforced.</summary>
    public bool? Catchup { get; init; }
}
