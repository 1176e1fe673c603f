using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Silo.Flows;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Runtime;
using Wire = OrleansFlow.Client;

namespace OrleansFlow.Gateway.Flows;

/// <summary>Routes under <c>/api/flows</c>.</summary>
internal static class FlowEndpoints
{
    public static void MapFlows(this RouteGroupBuilder api)
    {
        var flows = api.MapGroup("/flows");
        flows.MapPost("/", async (HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<Wire.FlowCreate>(context).ConfigureAwait(false);
            var name = Check.PathName(Check.MaxLength(Check.NotEmpty(request.Name, "name"), 1024, "name"), "name");
            var (flow, created) = await new FlowCatalog(silo).UpsertAsync(name, Check.Tags(request.Tags), context.RequestAborted).ConfigureAwait(false);
            return ApiResults.Json(flow, created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        });
        flows.MapGet("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new FlowCatalog(silo).GetAsync(id, cancellationToken).ConfigureAwait(false) is { } flow
                ? ApiResults.Json(flow)
                : ApiResults.NotFound("Flow"));
        flows.MapGet("/name/{name}", async (string name, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new FlowCatalog(silo).GetByNameAsync(name, cancellationToken).ConfigureAwait(false) is { } flow
                ? ApiResults.Json(flow)
                : ApiResults.NotFound("Flow"));
        flows.MapPatch("/{id}", async (Guid id, HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<FlowUpdateRequest>(context, allowEmpty: true).ConfigureAwait(false);
            var catalog = new FlowCatalog(silo);
            if (request.Tags is null)
            {
                return await catalog.GetAsync(id, context.RequestAborted).ConfigureAwait(false) is null ? ApiResults.NotFound("Flow") : Results.NoContent();
            }

            return await catalog.UpdateTagsAsync(id, Check.Tags(request.Tags), context.RequestAborted).ConfigureAwait(false)
                ? Results.NoContent()
                : ApiResults.NotFound("Flow");
        });
        flows.MapDelete("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new FlowCatalog(silo).DeleteAsync(id, cancellationToken).ConfigureAwait(false) ? Results.NoContent() : ApiResults.NotFound("Flow"));
        flows.MapPost("/filter", async (HttpContext context, RunQueries queries) =>
            ApiResults.Json(await queries.FilterFlowsAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)));
        flows.MapPost("/count", async (HttpContext context, RunQueries queries) =>
            ApiResults.Json(await queries.CountFlowsAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)));
    }
}
