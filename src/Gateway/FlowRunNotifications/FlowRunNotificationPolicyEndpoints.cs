using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Silo.Blocks;
using OrleansFlow.Silo.FlowRunNotifications;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Gateway.FlowRunNotifications;

/// <summary>Routes under <c>/api/flow_run_notification_policies</c>, as Prefect 2 has them: create (201), read, update
/// (204, only the fields sent), delete (204), and <c>/filter</c> (by id, paged, optionally by <c>is_active</c>).</summary>
internal static class FlowRunNotificationPolicyEndpoints
{
    private const string NotFoundDetail = "flow run notification policy not found";

    private static readonly HashSet<string> Fields = ["is_active", "state_names", "tags", "block_document_id", "message_template"];

    private static readonly HashSet<string> FilterFields = ["is_active"];

    private static readonly HashSet<string> IsActiveFields = ["eq_"];

    public static void MapFlowRunNotificationPolicies(this RouteGroupBuilder api)
    {
        var policies = api.MapGroup("/flow_run_notification_policies");
        policies.MapPost("/", async (HttpContext context, OrleansFlowSilo silo) =>
        {
            var body = await ObjectAsync(context).ConfigureAwait(false);
            var policy = new FlowRunNotificationPolicy
            {
                Id = Guid.Empty,
                IsActive = Bool(body, "is_active") ?? true,
                StateNames = Strings(body, "state_names") ?? throw Missing("state_names"),
                Tags = Strings(body, "tags") ?? throw Missing("tags"),
                BlockDocumentId = Uuid(body, "block_document_id") ?? throw Missing("block_document_id"),
                MessageTemplate = Template(body),
            };
            if (await BlockProblemAsync(silo, policy.BlockDocumentId, context.RequestAborted).ConfigureAwait(false) is { } problem)
            {
                return problem;
            }

            return ApiResults.Json(await new FlowRunNotificationCatalog(silo).CreateAsync(policy, context.RequestAborted).ConfigureAwait(false),
                StatusCodes.Status201Created);
        });
        policies.MapGet("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new FlowRunNotificationCatalog(silo).GetAsync(id, cancellationToken).ConfigureAwait(false) is { } policy ? ApiResults.Json(policy) : NotFound());
        policies.MapPatch("/{id}", async (Guid id, HttpContext context, OrleansFlowSilo silo) =>
        {
            // Only the fields sent change (Prefect's exclude_unset); a null one changes nothing, except the template,
            // which null resets to the default message.
            var body = await ObjectAsync(context, allowEmpty: true).ConfigureAwait(false);
            var isActive = Bool(body, "is_active", nullable: true);
            var stateNames = Strings(body, "state_names", nullable: true);
            var tags = Strings(body, "tags", nullable: true);
            var blockId = Uuid(body, "block_document_id", nullable: true);
            var setsTemplate = body.TryGetProperty("message_template", out _);
            var template = Template(body);
            if (blockId is { } block && await BlockProblemAsync(silo, block, context.RequestAborted).ConfigureAwait(false) is { } problem)
            {
                return problem;
            }

            var updated = await new FlowRunNotificationCatalog(silo).UpdateAsync(id, policy => policy with
            {
                IsActive = isActive ?? policy.IsActive,
                StateNames = stateNames ?? policy.StateNames,
                Tags = tags ?? policy.Tags,
                BlockDocumentId = blockId ?? policy.BlockDocumentId,
                MessageTemplate = setsTemplate ? template : policy.MessageTemplate,
            }, context.RequestAborted).ConfigureAwait(false);
            return updated is null ? NotFound() : Results.NoContent();
        });
        policies.MapDelete("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new FlowRunNotificationCatalog(silo).DeleteAsync(id, cancellationToken).ConfigureAwait(false) ? Results.NoContent() : NotFound());
        policies.MapPost("/filter", async (HttpContext context, OrleansFlowSilo silo) =>
        {
            var body = await FilterBody.ReadAsync(context).ConfigureAwait(false);
            var (isActive, limit, offset) = ParseFilter(body);
            return ApiResults.Json(await new FlowRunNotificationCatalog(silo).FilterAsync(isActive, limit, offset, context.RequestAborted).ConfigureAwait(false));
        });
    }

    /// <summary>The filter body: <c>limit</c> (0 to 200, default 200), <c>offset</c>, and
    /// <c>flow_run_notification_policy_filter.is_active.eq_</c>. As in Prefect, a filter object without <c>is_active</c>
    /// selects the paused policies (the field's default is <c>{"eq_": false}</c>); <c>"is_active": null</c> or no filter
    /// object selects all.</summary>
    private static (bool? IsActive, int Limit, int Offset) ParseFilter(JsonElement body)
    {
        if (body.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return (null, FilterRequest.MaxLimit, 0);
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new ApiValidationException([new ApiError(["body"], "value is not a valid dict", "type_error.dict")]);
        }

        var limit = Int(body, "limit", FilterRequest.MaxLimit) ?? FilterRequest.MaxLimit;
        var offset = Int(body, "offset", int.MaxValue) ?? 0;
        if (!body.TryGetProperty("flow_run_notification_policy_filter", out var filter) || filter.ValueKind == JsonValueKind.Null)
        {
            return (null, limit, offset);
        }

        const string FilterField = "flow_run_notification_policy_filter";
        if (filter.ValueKind != JsonValueKind.Object)
        {
            throw ApiValidationException.Field(FilterField, "value is not a valid dict", "type_error.dict");
        }

        RefuseExtra(filter, FilterFields, FilterField);
        if (!filter.TryGetProperty("is_active", out var active))
        {
            return (false, limit, offset);
        }

        if (active.ValueKind == JsonValueKind.Null)
        {
            return (null, limit, offset);
        }

        if (active.ValueKind != JsonValueKind.Object)
        {
            throw ApiValidationException.Field($"{FilterField}.is_active", "value is not a valid dict", "type_error.dict");
        }

        RefuseExtra(active, IsActiveFields, $"{FilterField}.is_active");
        return (Bool(active, "eq_", $"{FilterField}.is_active.eq_", nullable: true), limit, offset);
    }

    /// <summary>The block must exist: 409 otherwise, the answer Prefect's foreign key gives. Any block type is taken, as
    /// Prefect takes it; a block that cannot send makes each message fail when it is sent (the UI offers only those that
    /// can).</summary>
    private static async Task<IResult?> BlockProblemAsync(OrleansFlowSilo silo, Guid id, CancellationToken cancellationToken) =>
        await new BlockDocumentCatalog(silo).GetAsync(id, includeSecrets: false, cancellationToken).ConfigureAwait(false) is null
            ? ApiResults.Conflict($"Data integrity conflict: block_document_id: block document {id} not found.")
            : null;

    private static async Task<JsonElement> ObjectAsync(HttpContext context, bool allowEmpty = false)
    {
        var body = await FilterBody.ReadAsync(context).ConfigureAwait(false);
        if (body.ValueKind == JsonValueKind.Undefined && allowEmpty)
        {
            return JsonDocument.Parse("{}").RootElement;
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new ApiValidationException([new ApiError(["body"], body.ValueKind == JsonValueKind.Undefined ? "field required" : "value is not a valid dict",
                body.ValueKind == JsonValueKind.Undefined ? "value_error.missing" : "type_error.dict")]);
        }

        RefuseExtra(body, Fields, null);
        return body;
    }

    private static void RefuseExtra(JsonElement body, IReadOnlySet<string> known, string? at)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                throw new ApiValidationException([new ApiError(["body", .. (at?.Split('.') ?? []), property.Name], "extra fields not permitted", "value_error.extra")]);
            }
        }
    }

    private static bool? Bool(JsonElement body, string field, string? path = null, bool nullable = false)
    {
        if (!body.TryGetProperty(field, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null when nullable => null,
            JsonValueKind.Null => throw NoneRefused(path ?? field),
            _ => throw ApiValidationException.Field(path ?? field, "value could not be parsed to a boolean", "type_error.bool"),
        };
    }

    private static int? Int(JsonElement body, string field, int max)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n)
            ? Check.Range(n, 0, max, field)
            : throw ApiValidationException.Field(field, "value is not a valid integer", "type_error.integer");
    }

    private static List<string>? Strings(JsonElement body, string field, bool nullable = false)
    {
        if (!body.TryGetProperty(field, out var value) || (nullable && value.ValueKind == JsonValueKind.Null))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            throw NoneRefused(field);
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw ApiValidationException.Field(field, "value is not a valid list", "type_error.list");
        }

        var list = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            list.Add(item.ValueKind == JsonValueKind.String
                ? item.GetString()!
                : throw ApiValidationException.Field($"{field}.{index}", item.ValueKind == JsonValueKind.Null ? "none is not an allowed value" : "str type expected",
                    item.ValueKind == JsonValueKind.Null ? "type_error.none.not_allowed" : "type_error.str"));
            index++;
        }

        return list;
    }

    private static Guid? Uuid(JsonElement body, string field, bool nullable = false)
    {
        if (!body.TryGetProperty(field, out var value) || (nullable && value.ValueKind == JsonValueKind.Null))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Null => throw NoneRefused(field),
            JsonValueKind.String when Guid.TryParse(value.GetString(), out var id) => id,
            _ => throw ApiValidationException.Field(field, "value is not a valid uuid", "type_error.uuid"),
        };
    }

    /// <summary><c>message_template</c>: null or a string Prefect's <c>validate_message_template_variables</c> accepts.</summary>
    private static string? Template(JsonElement body)
    {
        const string Field = "message_template";
        if (!body.TryGetProperty(Field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw ApiValidationException.Field(Field, "str type expected", "type_error.str");
        }

        var template = value.GetString()!;
        return FlowRunNotificationTemplate.Problem(template) is { } problem ? throw ApiValidationException.Field(Field, problem) : template;
    }

    private static ApiValidationException Missing(string field) => ApiValidationException.Field(field, "field required", "value_error.missing");

    private static ApiValidationException NoneRefused(string field) =>
        ApiValidationException.Field(field, "none is not an allowed value", "type_error.none.not_allowed");

    private static IResult NotFound() => Results.Json(new { detail = NotFoundDetail }, statusCode: StatusCodes.Status404NotFound);
}
