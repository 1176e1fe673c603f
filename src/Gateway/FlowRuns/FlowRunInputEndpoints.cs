using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Grains.Deployments;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.FlowRunInputs;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Gateway.FlowRuns;

/// <summary>Prefect 2.15+'s flow run inputs (<c>/api/flow_runs/{id}/input</c>), and resuming a run that waits for input.</summary>
internal static partial class FlowRunInputEndpoints
{
    public static void MapFlowRunInputs(this RouteGroupBuilder api)
    {
        var inputs = api.MapGroup("/flow_runs/{id}/input");
        inputs.MapPost("/", async (Guid id, HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<FlowRunInputCreateRequest>(context).ConfigureAwait(false);
            var key = CheckKey(Check.Required(request.Key, "key"));
            var value = Check.Required(request.Value, "value");
            return await new FlowRunInputCatalog(silo).CreateAsync(id, key, value, request.Sender, context.RequestAborted).ConfigureAwait(false) switch
            {
                FlowRunInputCreate.KeyTaken => ApiResults.Conflict("A flow run input with this key already exists."),
                FlowRunInputCreate.RunNotFound => ApiResults.NotFound("Flow run"),
                _ => Results.Json<object?>(null, statusCode: StatusCodes.Status201Created),
            };
        });
        inputs.MapPost("/filter", async (Guid id, HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<FlowRunInputFilterRequest>(context).ConfigureAwait(false);
            var prefix = Check.Required(request.Prefix, "prefix");
            var limit = Check.Range(request.Limit ?? 1, 0, 200, "limit");
            return ApiResults.Json(await new FlowRunInputCatalog(silo).FilterAsync(id, prefix, limit, Check.Tags(request.ExcludeKeys, "exclude_keys"), context.RequestAborted)
                .ConfigureAwait(false));
        });
        inputs.MapGet("/{key}", async (Guid id, string key, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new FlowRunInputCatalog(silo).GetAsync(id, key, cancellationToken).ConfigureAwait(false) is { } input
                ? Results.Text(input.Value, "text/plain; charset=utf-8")
                : NotFound());
        inputs.MapDelete("/{key}", async (Guid id, string key, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new FlowRunInputCatalog(silo).DeleteAsync(id, key, cancellationToken).ConfigureAwait(false) ? Results.NoContent() : NotFound());
    }

    /// <summary><c>POST /flow_runs/{id}/resume</c> as Prefect 2.15+ answers it: a run paused to wait for input resumes only
    /// with a <c>run_input</c> that fits the schema stored under the pause's <c>schema</c> key (otherwise REJECT, and the
    /// run stays paused); once the resume is accepted, the input is stored under the pause's <c>response</c> key.</summary>
    public static async Task<IResult> ResumeAsync(Guid id, HttpContext context, OrleansFlowSilo silo)
    {
        var request = await RequestBody.ReadAsync<FlowRunResumeRequest>(context, allowEmpty: true).ConfigureAwait(false);
        var runInput = request.RunInput is { ValueKind: not JsonValueKind.Null } given
            ? given.ValueKind == JsonValueKind.Object ? given : throw ApiValidationException.Field("run_input", "value is not a valid dict", "type_error.dict")
            : (JsonElement?)null;
        var grain = silo.FlowRun(id);
        var keyset = (await grain.GetAsync(context.RequestAborted).ConfigureAwait(false))?.State is { Type: StateType.Paused } paused
            ? paused.StateDetails.RunInputKeyset
            : null;
        var inputs = new FlowRunInputCatalog(silo);
        if (keyset is not null && keyset.TryGetValue("schema", out var schemaKey))
        {
            var input = runInput ?? JsonDocument.Parse("{}").RootElement;
            if (await RejectionAsync(inputs, id, schemaKey, input, context.RequestAborted).ConfigureAwait(false) is { } reason)
            {
                var current = (await grain.GetAsync(context.RequestAborted).ConfigureAwait(false))?.State;
                return ApiResults.Json(new OrchestrationResult(current, OrchestrationStatus.Reject, OrchestrationDetails.Aborted(reason)));
            }
        }

        var result = await grain.ResumeAsync(context.RequestAborted).ConfigureAwait(false);
        if (keyset is not null && keyset.TryGetValue("response", out var responseKey) && runInput is { } accepted
            && accepted.EnumerateObject().Any() && result.Result.Status == OrchestrationStatus.Accept)
        {
            await inputs.CreateAsync(id, responseKey, accepted.GetRawText(), null, context.RequestAborted).ConfigureAwait(false);
        }

        return FlowRunEndpoints.Answer(result);
    }

    private static async Task<string?> RejectionAsync(FlowRunInputCatalog inputs, Guid id, string schemaKey, JsonElement input, CancellationToken cancellationToken)
    {
        if (await inputs.GetAsync(id, schemaKey, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return "Run input schema not found.";
        }

        JsonElement schema;
        try
        {
            using var document = JsonDocument.Parse(stored.Value);
            schema = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return "Run input schema is not valid JSON.";
        }

        return ParameterSchema.Check(input, schema) is var (field, why) ? $"Reason: {field}: {why}" : null;
    }

    /// <summary>Prefect's rule for a key (lowercase letters, numbers and dashes), and not empty: an empty key could not be
    /// read or deleted through <c>/input/{key}</c>.</summary>
    private static string CheckKey(string key) => Key().IsMatch(key)
        ? Check.MaxLength(Check.NotEmpty(key, "key"), 255, "key")
        : throw ApiValidationException.Field("key", "value must only contain lowercase letters, numbers, and dashes.");

    private static IResult NotFound() => Results.Json(new { detail = "Flow run input not found" }, statusCode: StatusCodes.Status404NotFound);

    [GeneratedRegex("^[a-z0-9-]*$")]
    private static partial Regex Key();
}
