using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Grains.ConcurrencyLimits;
using OrleansFlow.Silo.ConcurrencyLimits;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Gateway.ConcurrencyLimits;

/// <summary>Routes under <c>/api/concurrency_limits</c> (Prefect's tag limits).</summary>
internal static class ConcurrencyLimitEndpoints
{
    public static void MapConcurrencyLimits(this RouteGroupBuilder api)
    {
        var limits = api.MapGroup("/concurrency_limits");
        limits.MapPost("/", async (HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<ConcurrencyLimitCreateRequest>(context).ConfigureAwait(false);
            var tag = Check.MaxLength(Check.NotEmpty(request.Tag, "tag"), 1024, "tag");
            // The limit is read, reset and deleted by /concurrency_limits/tag/{tag}: a '/' would make it unreachable there
            // (an encoded %2F stays encoded in a route value).
            if (tag.Contains('/', StringComparison.Ordinal))
            {
                throw ApiValidationException.Field("tag", $"Tag '{tag}' contains '/', which the /concurrency_limits/tag/{{tag}} routes cannot reach.");
            }

            var limit = Check.Range(Check.Required(request.ConcurrencyLimit, "concurrency_limit"), 0, int.MaxValue, "concurrency_limit");
            return ApiResults.Json(View(await new ConcurrencyLimitCatalog(silo).UpsertAsync(tag, limit, context.RequestAborted).ConfigureAwait(false)));
        });
        limits.MapGet("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new ConcurrencyLimitCatalog(silo).GetAsync(id, cancellationToken).ConfigureAwait(false) is { } limit
                ? ApiResults.Json(View(limit))
                : ApiResults.NotFound("Concurrency limit"));
        limits.MapGet("/tag/{tag}", async (string tag, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new ConcurrencyLimitCatalog(silo).GetByTagAsync(tag, cancellationToken).ConfigureAwait(false) is { } limit
                ? ApiResults.Json(View(limit))
                : ApiResults.NotFound("Concurrency limit"));
        limits.MapDelete("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new ConcurrencyLimitCatalog(silo).DeleteAsync(id, cancellationToken).ConfigureAwait(false)
                ? Results.Json<object?>(null)
                : ApiResults.NotFound("Concurrency limit"));
        limits.MapDelete("/tag/{tag}", async (string tag, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new ConcurrencyLimitCatalog(silo).DeleteByTagAsync(tag, cancellationToken).ConfigureAwait(false)
                ? Results.Json<object?>(null)
                : ApiResults.NotFound("Concurrency limit"));
        limits.MapPost("/tag/{tag}/reset", async (string tag, HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<ConcurrencyLimitResetRequest>(context, allowEmpty: true).ConfigureAwait(false);
            return await new ConcurrencyLimitCatalog(silo).ResetAsync(tag, request.SlotOverride ?? [], context.RequestAborted).ConfigureAwait(false)
                ? Results.Json<object?>(null)
                : ApiResults.NotFound("Concurrency limit");
        });
        limits.MapPost("/filter", async (HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<PageRequest>(context, allowEmpty: true).ConfigureAwait(false);
            var page = await new ConcurrencyLimitCatalog(silo).ListAsync(
                Check.Range(request.Limit ?? FilterRequest.MaxLimit, 0, FilterRequest.MaxLimit, "limit"),
                Check.Range(request.Offset ?? 0, 0, int.MaxValue, "offset"), context.RequestAborted).ConfigureAwait(false);
            return ApiResults.Json(page.Select(View));
        });
    }

    private static ConcurrencyLimitView View(ConcurrencyLimit limit) =>
        new(limit.Id, limit.Created, limit.Updated, limit.Tag, limit.Limit, limit.ActiveSlots);
}

/// <summary>A tag concurrency limit as the API shows it.</summary>
/// <param name="Id">The limit's id.</param>
/// <param name="Created">When it was created.</param>
/// <param name="Updated">When it last changed.</param>
/// <param name="Tag">The tag.</param>
/// <param name="ConcurrencyLimit">How many runs may hold a slot.</param>
/// <param name="ActiveSlots">The task runs holding slots.</param>
public sealed record ConcurrencyLimitView(Guid Id, DateTimeOffset Created, DateTimeOffset Updated, string Tag, int ConcurrencyLimit, IReadOnlyList<Guid> ActiveSlots);

/// <summary>Body of <c>POST /api/concurrency_limits/</c>.</summary>
public sealed class ConcurrencyLimitCreateRequest
{
    /// <summary>The tag (required).</summary>
    public string? Tag { get; init; }

    /// <summary>How many runs may hold a slot (required, at least 0).</summary>
    public int? ConcurrencyLimit { get; init; }
}

/// <summary>Body of <c>POST /api/concurrency_limits/tag/{tag}/reset</c>.</summary>
public sealed class ConcurrencyLimitResetRequest
{
    /// <summary>The task runs that should hold the slots afterwards; none when null.</summary>
    public List<Guid>? SlotOverride { get; init; }
}

/// <summary>A body with only paging fields.</summary>
public sealed class PageRequest
{
    /// <summary>At most this many rows (default and maximum 200).</summary>
    public int? Limit { get; init; }

    /// <summary>Rows to skip.</summary>
    public int? Offset { get; init; }
}
