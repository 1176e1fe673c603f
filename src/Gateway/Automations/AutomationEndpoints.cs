using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Gateway.Notifications;
using OrleansFlow.Grains.Automations;
using OrleansFlow.Silo.Automations;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Gateway.Automations;

/// <summary>Routes under <c>/api/automations</c> (Prefect 3's automations API), plus <c>GET /{id}/firings</c>, the firing
/// history of OrleansFlow's UI.</summary>
internal static class AutomationEndpoints
{
    /// <summary>Prefect's largest page (<c>PREFECT_API_DEFAULT_LIMIT</c>).</summary>
    private const int MaxLimit = 200;

    private static readonly Dictionary<string, AutomationSort> Sorts = new(StringComparer.Ordinal)
    {
        ["NAME_ASC"] = AutomationSort.NameAsc,
        ["NAME_DESC"] = AutomationSort.NameDesc,
        ["CREATED_DESC"] = AutomationSort.CreatedDesc,
        ["UPDATED_DESC"] = AutomationSort.UpdatedDesc,
    };

    public static void MapAutomations(this RouteGroupBuilder api)
    {
        var automations = api.MapGroup("/automations");
        automations.MapPost("/", async (HttpContext context, OrleansFlowSilo silo) =>
        {
            var automation = Parse(await BodyAsync(context).ConfigureAwait(false), create: true, silo);
            return ApiResults.Json(await new AutomationCatalog(silo).CreateAsync(automation, context.RequestAborted).ConfigureAwait(false),
                StatusCodes.Status201Created);
        });
        automations.MapGet("/{id:guid}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new AutomationCatalog(silo).GetAsync(id, cancellationToken).ConfigureAwait(false) is { } automation ? ApiResults.Json(automation) : NotFound());
        automations.MapPut("/{id:guid}", async (Guid id, HttpContext context, OrleansFlowSilo silo) =>
        {
            var automation = Parse(await BodyAsync(context).ConfigureAwait(false), create: false, silo);
            return await new AutomationCatalog(silo).ReplaceAsync(id, automation, context.RequestAborted).ConfigureAwait(false) ? Results.NoContent() : NotFound();
        });
        automations.MapPatch("/{id:guid}", async (Guid id, HttpContext context, OrleansFlowSilo silo) =>
        {
            var enabled = PartialUpdate(await BodyAsync(context).ConfigureAwait(false));
            return await new AutomationCatalog(silo).SetEnabledAsync(id, enabled, context.RequestAborted).ConfigureAwait(false) ? Results.NoContent() : NotFound();
        });
        automations.MapDelete("/{id:guid}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new AutomationCatalog(silo).DeleteAsync(id, cancellationToken).ConfigureAwait(false) ? Results.NoContent() : NotFound());
        automations.MapPost("/filter", async (HttpContext context, OrleansFlowSilo silo) =>
            ApiResults.Json(await new AutomationCatalog(silo).FilterAsync(Query(await FilterBody.ReadAsync(context).ConfigureAwait(false)), context.RequestAborted)
                .ConfigureAwait(false)));
        automations.MapPost("/count", async (HttpContext context, OrleansFlowSilo silo) =>
            ApiResults.Json(await new AutomationCatalog(silo).CountAsync(Query(await FilterBody.ReadAsync(context).ConfigureAwait(false)), context.RequestAborted)
                .ConfigureAwait(false)));
        automations.MapGet("/related-to/{resource_id}", async (string resource_id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            ApiResults.Json(await new AutomationCatalog(silo).RelatedToAsync(resource_id, cancellationToken).ConfigureAwait(false)));
        automations.MapDelete("/owned-by/{resource_id}", async (string resource_id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
        {
            await new AutomationCatalog(silo).DeleteOwnedByAsync(resource_id, cancellationToken).ConfigureAwait(false);
            return Results.StatusCode(StatusCodes.Status202Accepted);
        });
        automations.MapGet("/{id:guid}/firings", async (Guid id, string? limit, string? offset, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
        {
            var catalog = new AutomationCatalog(silo);
            var page = Check.Range(QueryValue.Int(limit, "limit") ?? MaxLimit, 0, MaxLimit, "limit");
            var skip = Check.Range(QueryValue.Int(offset, "offset") ?? 0, 0, int.MaxValue, "offset");
            return await catalog.GetAsync(id, cancellationToken).ConfigureAwait(false) is null
                ? NotFound()
                : ApiResults.Json(await catalog.FiringsAsync(id, page, skip, cancellationToken).ConfigureAwait(false));
        });
    }

    private static async Task<JsonElement> BodyAsync(HttpContext context)
    {
        var body = await FilterBody.ReadAsync(context).ConfigureAwait(false);
        return body.ValueKind == JsonValueKind.Undefined
            ? throw new ApiValidationException([new ApiError(["body"], "field required", "value_error.missing")])
            : body;
    }

    private static Automation Parse(JsonElement body, bool create, OrleansFlowSilo silo)
    {
        try
        {
            return RequireTemplates(AutomationJson.ParseRequest(body, create, silo.NewId));
        }
        catch (AutomationValidationException ex)
        {
            throw ApiValidationException.Field(ex.Path, ex.Message);
        }
    }

    /// <summary>Refuses an automation whose notification or webhook templates do not parse (422 naming the field, e.g.
    /// <c>actions.1.body</c>), as Prefect does, so a broken template is found when it is written, not when it fires.</summary>
    private static Automation RequireTemplates(Automation automation)
    {
        foreach (var (list, actions) in new[] { ("actions", automation.Actions), ("actions_on_trigger", automation.ActionsOnTrigger),
            ("actions_on_resolve", automation.ActionsOnResolve) })
        {
            for (var i = 0; i < actions.Length; i++)
            {
                switch (actions[i])
                {
                    case SendNotificationAction notification:
                        TemplateFields.Require(notification.Subject, $"{list}.{i}.subject");
                        TemplateFields.Require(notification.Body, $"{list}.{i}.body");
                        break;
                    case CallWebhookAction webhook:
                        TemplateFields.Require(webhook.Payload, $"{list}.{i}.payload");
                        break;
                }
            }
        }

        return automation;
    }

    /// <summary>Prefect's <c>AutomationPartialUpdate</c>: only <c>enabled</c> (default true).</summary>
    private static bool PartialUpdate(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw ApiValidationException.Field("", "value is not a valid dict", "type_error.dict");
        }

        var enabled = true;
        foreach (var property in body.EnumerateObject())
        {
            enabled = property.Name == "enabled"
                ? property.Value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw ApiValidationException.Field("enabled", "value could not be parsed to a boolean", "type_error.bool"),
                }
                : throw ApiValidationException.Field(property.Name, "extra fields not permitted", "value_error.extra");
        }

        return enabled;
    }

    /// <summary>The body of <c>/filter</c> and <c>/count</c>: <c>sort</c>, <c>limit</c>, <c>offset</c> and
    /// <c>automations</c> (<c>name.any_</c>, <c>tags.all_</c>, <c>created.before_</c>).</summary>
    private static AutomationQuery Query(JsonElement body)
    {
        if (body.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return new AutomationQuery();
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            throw ApiValidationException.Field("", "value is not a valid dict", "type_error.dict");
        }

        var query = new AutomationQuery();
        if (Member(body, "sort") is { } sort)
        {
            query = query with
            {
                Sort = sort.ValueKind == JsonValueKind.String && Sorts.TryGetValue(sort.GetString()!, out var order)
                    ? order
                    : throw ApiValidationException.Field("sort", $"value is not a valid enumeration member; permitted: {string.Join(", ", Sorts.Keys.Select(k => $"'{k}'"))}",
                        "type_error.enum"),
            };
        }

        if (Member(body, "limit") is { } limit)
        {
            query = query with { Limit = Check.Range(Int(limit, "limit"), 0, MaxLimit, "limit") };
        }

        if (Member(body, "offset") is { } offset)
        {
            query = query with { Offset = Check.Range(Int(offset, "offset"), 0, int.MaxValue, "offset") };
        }

        if (Member(body, "automations") is not { } filter)
        {
            return query;
        }

        if (filter.ValueKind != JsonValueKind.Object)
        {
            throw ApiValidationException.Field("automations", "value is not a valid dict", "type_error.dict");
        }

        if (Member(filter, "name") is { } name && Member(name, "any_") is { } names)
        {
            query = query with { NameAny = Strings(names, "automations.name.any_") };
        }

        if (Member(filter, "tags") is { } tags && Member(tags, "all_") is { } all)
        {
            query = query with { TagsAll = Strings(all, "automations.tags.all_") };
        }

        if (Member(filter, "created") is { } created && Member(created, "before_") is { } before)
        {
            query = query with
            {
                CreatedBefore = before.ValueKind == JsonValueKind.String
                    && DateTimeOffset.TryParse(before.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                    ? time
                    : throw ApiValidationException.Field("automations.created.before_", "invalid datetime format", "value_error.datetime"),
            };
        }

        return query;
    }

    private static JsonElement? Member(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static int Int(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n)
            ? n
            : throw ApiValidationException.Field(field, "value is not a valid integer", "type_error.integer");

    private static List<string> Strings(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String)
            ? [.. value.EnumerateArray().Select(v => v.GetString()!)]
            : throw ApiValidationException.Field(field, "value is not a valid list of strings", "type_error.list");

    private static IResult NotFound() => Results.Json(new { detail = "Automation not found" }, statusCode: StatusCodes.Status404NotFound);
}
