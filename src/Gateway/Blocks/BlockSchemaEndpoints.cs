using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Silo.Blocks;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Gateway.Blocks;

/// <summary>Routes under <c>/api/block_schemas</c>.</summary>
internal static class BlockSchemaEndpoints
{
    public static void MapBlockSchemas(this RouteGroupBuilder api)
    {
        var schemas = api.MapGroup("/block_schemas");
        schemas.MapPost("/", async (HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<BlockSchemaCreateRequest>(context).ConfigureAwait(false);
            var fields = request.Fields is { ValueKind: not JsonValueKind.Null } given ? given : JsonDocument.Parse("{}").RootElement;
            if (fields.ValueKind != JsonValueKind.Object)
            {
                throw ApiValidationException.Field("fields", "value is not a valid dict", "type_error.dict");
            }

            var (schema, created, outcome) = await new BlockCatalog(silo).CreateSchemaAsync(fields, Check.Required(request.BlockTypeId, "block_type_id"),
                Check.Tags(request.Capabilities, "capabilities"), request.Version ?? BlockSchemaDefaults.Version, context.RequestAborted).ConfigureAwait(false);
            return outcome switch
            {
                BlockOutcome.MissingReference => ApiResults.NotFound("Block type"),
                BlockOutcome.Protected => BlockTypeEndpoints.Forbidden("Block schemas for protected block types cannot be created."),
                _ => ApiResults.Json(schema, created ? StatusCodes.Status201Created : StatusCodes.Status200OK),
            };
        });
        schemas.MapPost("/filter", async (HttpContext context, OrleansFlowSilo silo) =>
            ApiResults.Json(await new BlockCatalog(silo).FilterSchemasAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)));
        schemas.MapGet("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new BlockCatalog(silo).GetSchemaAsync(id, cancellationToken).ConfigureAwait(false) is { } schema
                ? ApiResults.Json(schema)
                : ApiResults.NotFound("Block schema"));
        schemas.MapGet("/checksum/{checksum}", async (string checksum, HttpContext context, OrleansFlowSilo silo) =>
        {
            var version = context.Request.Query["version"];
            return await new BlockCatalog(silo).GetSchemaByChecksumAsync(checksum, version.Count == 0 ? null : version[^1], context.RequestAborted).ConfigureAwait(false) is { } schema
                ? ApiResults.Json(schema)
                : ApiResults.NotFound("Block schema");
        });
        schemas.MapDelete("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new BlockCatalog(silo).DeleteSchemaAsync(id, cancellationToken).ConfigureAwait(false) switch
            {
                BlockOutcome.NotFound => ApiResults.NotFound("Block schema"),
                BlockOutcome.Protected => BlockTypeEndpoints.Forbidden("Block schemas for protected block types cannot be deleted."),
                _ => Results.NoContent(),
            });
    }
}
