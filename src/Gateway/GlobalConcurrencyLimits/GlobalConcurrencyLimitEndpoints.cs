using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Gateway.ConcurrencyLimits;
using OrleansFlow.Silo.GlobalConcurrencyLimits;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Gateway.GlobalConcurrencyLimits;

/// <summary>Routes under <c>/api/v2/concurrency_limits</c>: Prefect 2.12+'s global concurrency limits, which
/// <c>concurrency()</c> and <c>rate_limit()</c> call.</summary>
internal static class GlobalConcurrencyLimitEndpoints
{
    public static void MapGlobalConcurrencyLimits(this RouteGroupBuilder api)
    {
        var limits = api.MapGroup("/v2/concurrency_limits");
        limits.MapPost("/", async (HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<GlobalConcurrencyLimitCreateRequest>(context).ConfigureAwait(false);
            var limit = new GlobalConcurrencyLimit
            {
                Id = Guid.Empty,
                Name = CheckName(Check.Required(request.Name, "name")),
                Active = request.Active ?? true,
                Limit = NonNegative(Check.Required(request.Limit, "limit"), "limit"),
                ActiveSlots = NonNegative(request.ActiveSlots ?? 0, "active_slots"),
                DeniedSlots = NonNegative(request.DeniedSlots ?? 0, "denied_slots"),
                SlotDecayPerSecond = DecayRate(request.SlotDecayPerSecond ?? 0),
            };
            return await new GlobalConcurrencyLimitCatalog(silo).CreateAsync(limit, context.RequestAborted).ConfigureAwait(false) is { } created
                ? ApiResults.Json(View(created), StatusCodes.Status201Created)
                : ApiResults.Conflict($"A concurrency limit with the name '{limit.Name}' already exists.");
        });
        limits.MapGet("/{id_or_name}", async (string id_or_name, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
        {
            var catalog = new GlobalConcurrencyLimitCatalog(silo);
            var limit = Guid.TryParse(id_or_name, out var id)
                ? await catalog.GetAsync(id, cancellationToken).ConfigureAwait(false)
                : await catalog.GetByNameAsync(id_or_name, cancellationToken).ConfigureAwait(false);
            return limit is null ? NotFound() : ApiResults.Json(View(limit));
        });
        limits.MapPatch("/{id_or_name}", async (string id_or_name, HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<GlobalConcurrencyLimitUpdateRequest>(context, allowEmpty: true).ConfigureAwait(false);
            var change = new GlobalConcurrencyLimitChange
            {
                Active = request.Active,
                Name = request.Name is null ? null : CheckName(request.Name),
                Limit = request.Limit is { } l ? NonNegative(l, "limit") : null,
                ActiveSlots = request.ActiveSlots is { } a ? NonNegative(a, "active_slots") : null,
                DeniedSlots = request.DeniedSlots is { } d ? NonNegative(d, "denied_slots") : null,
                SlotDecayPerSecond = request.SlotDecayPerSecond is { } s ? DecayRate(s) : null,
            };
            var (id, name) = IdOrName(id_or_name);
            return await new GlobalConcurrencyLimitCatalog(silo).UpdateAsync(id, name, change, context.RequestAborted).ConfigureAwait(false) switch
            {
                null => NotFound(),
                false => ApiResults.Conflict($"A concurrency limit with the name '{change.Name}' already exists."),
                true => Results.NoContent(),
            };
        });
        limits.MapDelete("/{id_or_name}", async (string id_or_name, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
        {
            var (id, name) = IdOrName(id_or_name);
            return await new GlobalConcurrencyLimitCatalog(silo).DeleteAsync(id, name, cancellationToken).ConfigureAwait(false) ? Results.NoContent() : NotFound();
        });
        limits.MapPost("/filter", async (HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<PageRequest>(context, allowEmpty: true).ConfigureAwait(false);
            var page = await new GlobalConcurrencyLimitCatalog(silo).ListAsync(
                Check.Range(request.Limit ?? FilterRequest.MaxLimit, 0, FilterRequest.MaxLimit, "limit"),
                Check.Range(request.Offset ?? 0, 0, int.MaxValue, "offset"), context.RequestAborted).ConfigureAwait(false);
            return ApiResults.Json(page.Select(View));
        });
        limits.MapPost("/increment", async (HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<GlobalConcurrencySlotsRequest>(context).ConfigureAwait(false);
            var (names, slots) = CheckSlots(request);
            var rateLimit = request.Mode switch
            {
                null or "concurrency" => false,
                "rate_limit" => true,
                _ => throw ApiValidationException.Field("mode", "unexpected value; permitted: 'concurrency', 'rate_limit'", "value_error.const"),
            };
            var result = await new GlobalConcurrencyLimitCatalog(silo).IncrementAsync(names, slots, rateLimit, request.CreateIfMissing ?? true, context.RequestAborted)
                .ConfigureAwait(false);
            return result.Status switch
            {
                SlotRequestStatus.MoreThanLimit => throw ApiValidationException.Field("slots", "Slots requested is greater than the limit"),
                SlotRequestStatus.NotARateLimit => throw ApiValidationException.Field("mode",
                    "Only concurrency limits with slot decay can be used for rate limiting. The following limits do not have a decay configured: "
                    + $"'{string.Join(',', result.NonDecaying!)}'"),
                SlotRequestStatus.Locked => Locked(context, result.RetryAfterSeconds),
                _ => ApiResults.Json(result.Limits.Select(Minimal)),
            };
        });
        limits.MapPost("/decrement", async (HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<GlobalConcurrencySlotsRequest>(context).ConfigureAwait(false);
            var (names, slots) = CheckSlots(request);
            if (request.OccupancySeconds is <= 0)
            {
                throw ApiValidationException.Field("occupancy_seconds", "ensure this value is greater than 0", "value_error.number.not_gt");
            }

            if (request.OccupancySeconds is > GlobalConcurrencyLimitRules.MaxOccupancySeconds)
            {
                throw NotLe("occupancy_seconds", GlobalConcurrencyLimitRules.MaxOccupancySeconds);
            }

            var result = await new GlobalConcurrencyLimitCatalog(silo).DecrementAsync(names, slots, request.OccupancySeconds, request.CreateIfMissing ?? true,
                context.RequestAborted).ConfigureAwait(false);
            return ApiResults.Json(result.Limits.Select(Minimal));
        });
    }

    private static (IReadOnlyList<string> Names, int Slots) CheckSlots(GlobalConcurrencySlotsRequest request)
    {
        var slots = Check.Required(request.Slots, "slots");
        if (slots <= 0)
        {
            throw ApiValidationException.Field("slots", "ensure this value is greater than 0", "value_error.number.not_gt");
        }

        var names = Check.Tags(Check.Required(request.Names, "names"), "names");
        return names.Count == 0
            ? throw ApiValidationException.Field("names", "ensure this value has at least 1 items", "value_error.list.min_items")
            : (names, slots);
    }

    private static IResult Locked(HttpContext context, double retryAfterSeconds)
    {
        // The client sleeps float(Retry-After) seconds and asks again.
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString("0.0##", CultureInfo.InvariantCulture);
        return Results.Json(new { detail = "Locked" }, statusCode: StatusCodes.Status423Locked);
    }

    private static (Guid? Id, string? Name) IdOrName(string idOrName) => Guid.TryParse(idOrName, out var id) ? (id, null) : (null, idOrName);

    private static string CheckName(string name) => Check.PathName(Check.MaxLength(Check.NotEmpty(name, "name"), 255, "name"), "name");

    private static int NonNegative(int value, string field) =>
        value < 0 ? throw ApiValidationException.Field(field, "ensure this value is greater than or equal to 0", "value_error.number.not_ge") : value;

    /// <summary>A <c>slot_decay_per_second</c>: 0 or more (Prefect's bound) and at most
    /// <see cref="GlobalConcurrencyLimitRules.MaxSlotDecayPerSecond"/>, which also keeps out infinity (<c>1e309</c> reads as
    /// one).</summary>
    private static double DecayRate(double value) =>
        value < 0 || double.IsNaN(value)
            ? throw ApiValidationException.Field("slot_decay_per_second", "ensure this value is greater than or equal to 0", "value_error.number.not_ge")
            : value > GlobalConcurrencyLimitRules.MaxSlotDecayPerSecond
                ? throw NotLe("slot_decay_per_second", GlobalConcurrencyLimitRules.MaxSlotDecayPerSecond)
                : value;

    private static ApiValidationException NotLe(string field, double max) =>
        ApiValidationException.Field(field, string.Create(CultureInfo.InvariantCulture, $"ensure this value is less than or equal to {max:0.#}"), "value_error.number.not_le");

    private static GlobalConcurrencyLimitView View(GlobalConcurrencyLimit limit) => new(
        limit.Id, limit.Created, limit.Updated, limit.Active, limit.Name, limit.Limit,
        GlobalConcurrencyLimitRules.Shown(limit.ActiveSlots), GlobalConcurrencyLimitRules.Shown(limit.DeniedSlots),
        limit.SlotDecayPerSecond, limit.AvgSlotOccupancySeconds);

    private static MinimalConcurrencyLimitView Minimal(GlobalConcurrencyLimit limit) => new(limit.Id, limit.Name, limit.Limit);

    private static IResult NotFound() => Results.Json(new { detail = "Concurrency Limit not found" }, statusCode: StatusCodes.Status404NotFound);
}
