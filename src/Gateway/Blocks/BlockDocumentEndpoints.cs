using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Silo.Blocks;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Gateway.Blocks;

/// <summary>Routes under <c>/api/block_documents</c>.</summary>
internal static class BlockDocumentEndpoints
{
    public static void MapBlockDocuments(this RouteGroupBuilder api)
    {
        var documents = api.MapGroup("/block_documents");
        documents.MapPost("/", async (HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<BlockDocumentCreateRequest>(context).ConfigureAwait(false);
            var isAnonymous = request.IsAnonymous ?? false;
            if (request.Name is not null)
            {
                ResourceNames.DashesOnly(request.Name, "name", "Block document name");
            }

            if (!isAnonymous && string.IsNullOrEmpty(request.Name))
            {
                throw ApiValidationException.Field("__root__", "Names must be provided for block documents.");
            }

            var schemaId = Check.Required(request.BlockSchemaId, "block_schema_id");
            var typeId = Check.Required(request.BlockTypeId, "block_type_id");
            BlockDocument? document;
            BlockOutcome outcome;
            try
            {
                (document, outcome) = await new BlockDocumentCatalog(silo).CreateAsync(
                    request.Name, request.Data ?? [], schemaId, typeId, isAnonymous, context.RequestAborted).ConfigureAwait(false);
            }
            catch (BlockDataException ex)
            {
                // Prefect's server takes any object as data; a document that leaves out a required field cannot be
                // loaded by the client's Block.load, so it is refused here, each field named as pydantic would.
                throw new ApiValidationException([.. ex.MissingFields.Select(field => new ApiError(["body", "data", field], "field required", "value_error.missing"))]);
            }

            return outcome switch
            {
                BlockOutcome.Conflict => ApiResults.Conflict("Block already exists"),
                BlockOutcome.WrongBlockType => WrongBlockType("The block schema belongs to another block type."),
                _ => ApiResults.Json(document, StatusCodes.Status201Created),
            };
        });
        documents.MapPost("/filter", async (HttpContext context, OrleansFlowSilo silo) =>
            ApiResults.Json(await new BlockDocumentCatalog(silo).FilterAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)));
        documents.MapPost("/count", async (HttpContext context, OrleansFlowSilo silo) =>
            ApiResults.Json(await new BlockDocumentCatalog(silo).CountAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)));
        documents.MapGet("/{id}", async (Guid id, HttpContext context, OrleansFlowSilo silo) =>
            await new BlockDocumentCatalog(silo).GetAsync(id, ResourceNames.QueryFlag(context, "include_secrets"), context.RequestAborted).ConfigureAwait(false) is { } document
                ? ApiResults.Json(document)
                : ApiResults.NotFound("Block document"));
        documents.MapPatch("/{id}", async (Guid id, HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<BlockDocumentUpdateRequest>(context, allowEmpty: true).ConfigureAwait(false);
            var outcome = await new BlockDocumentCatalog(silo).UpdateAsync(id, request.BlockSchemaId, request.Data,
                request.MergeExistingData ?? true, context.RequestAborted).ConfigureAwait(false);
            return outcome switch
            {
                BlockOutcome.NotFound => ApiResults.NotFound("Block document"),
                BlockOutcome.WrongBlockType => WrongBlockType("Must migrate block document to a block schema of the same block type."),
                _ => Results.NoContent(),
            };
        });
        documents.MapDelete("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new BlockDocumentCatalog(silo).DeleteAsync(id, cancellationToken).ConfigureAwait(false)
                ? Results.NoContent()
                : ApiResults.NotFound("Block document"));
    }

    private static IResult WrongBlockType(string message) => ApiResults.Invalid([new ApiError(["body", "block_schema_id"], message, "value_error")]);
}
