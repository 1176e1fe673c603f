using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Gateway.ConcurrencyLimits;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.SavedSearches;

namespace OrleansFlow.Gateway.SavedSearches;

/// <summary>Routes under <c>/api/saved_searches</c>.</summary>
internal static class SavedSearchEndpoints
{
    public static void MapSavedSearches(this RouteGroupBuilder api)
    {
        var searches = api.MapGroup("/saved_searches");
        searches.MapPut("/", async (HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<SavedSearchCreateRequest>(context).ConfigureAwait(false);
            var name = Check.NotEmpty(request.Name, "name");
            var filters = (request.Filters ?? []).Select((filter, i) => ToFilter(filter, i)).ToList();
            var (search, created) = await new SavedSearchCatalog(silo).UpsertAsync(name, filters, context.RequestAborted).ConfigureAwait(false);
            return ApiResults.Json(search, created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        });
        searches.MapGet("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new SavedSearchCatalog(silo).GetAsync(id, cancellationToken).ConfigureAwait(false) is { } search
                ? ApiResults.Json(search)
                : ApiResults.NotFound("Saved search"));
        searches.MapDelete("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new SavedSearchCatalog(silo).DeleteAsync(id, cancellationToken).ConfigureAwait(false)
                ? Results.NoContent()
                : ApiResults.NotFound("Saved search"));
        searches.MapPost("/filter", async (HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<PageRequest>(context, allowEmpty: true).ConfigureAwait(false);
            return ApiResults.Json(await new SavedSearchCatalog(silo).ListAsync(
                Check.Range(request.Limit ?? FilterRequest.MaxLimit, 0, FilterRequest.MaxLimit, "limit"),
                Check.Range(request.Offset ?? 0, 0, int.MaxValue, "offset"), context.RequestAborted).ConfigureAwait(false));
        });
    }

    private static SavedSearchFilter ToFilter(SavedSearchFilterRequest? filter, int index)
    {
        var at = $"filters.{index}";
        var given = Check.Required(filter, at);
        return new SavedSearchFilter(
            Check.Required(given.Object, $"{at}.object"),
            Check.Required(given.Property, $"{at}.property"),
            Check.Required(given.Type, $"{at}.type"),
            Check.Required(given.Operation, $"{at}.operation"),
            Check.Required(given.Value, $"{at}.value"));
    }
}
