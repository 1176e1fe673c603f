using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Silo.Blocks;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Gateway.Blocks;

/// <summary>Routes under <c>/api/block_types</c> and <c>/api/block_capabilities</c>.</summary>
internal static class BlockTypeEndpoints
{
    private static readonly string[] Updatable = ["logo_url", "documentation_url", "description", "code_example"];

    public static void MapBlockTypes(this RouteGroupBuilder api)
    {
        var types = api.MapGroup("/block_types");
        types.MapPost("/", async (HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<BlockTypeCreateRequest>(context).ConfigureAwait(false);
            var name = Check.NotEmpty(request.Name, "name");
            var slug = ResourceNames.DashesOnly(Check.NotEmpty(request.Slug, "slug"), "slug", "Block type slug");
            var type = new BlockType
            {
                Id = Guid.Empty,
                Name = name,
                Slug = slug,
                LogoUrl = ResourceNames.Url(request.LogoUrl, "logo_url"),
                DocumentationUrl = ResourceNames.Url(request.DocumentationUrl, "documentation_url"),
                Description = request.Description,
                CodeExample = request.CodeExample,
            };
            if (name.StartsWith("prefect", StringComparison.OrdinalIgnoreCase))
            {
                return Forbidden("Block type names beginning with 'Prefect' are reserved.");
            }

            var (created, outcome) = await new BlockCatalog(silo).CreateTypeAsync(type, context.RequestAborted).ConfigureAwait(false);
            return outcome == BlockOutcome.Conflict
                ? ApiResults.Conflict($"Block type with name \"{name}\" already exists")
                : ApiResults.Json(created, StatusCodes.Status201Created);
        });
        types.MapPost("/filter", async (HttpContext context, OrleansFlowSilo silo) =>
            ApiResults.Json(await new BlockCatalog(silo).FilterTypesAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)));
        types.MapPost("/install_system_block_types", async (OrleansFlowSilo silo, CancellationToken cancellationToken) =>
        {
            await BlockSeeder.SeedAsync(silo, cancellationToken).ConfigureAwait(false);
            return Results.Json<object?>(null);
        });
        types.MapGet("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new BlockCatalog(silo).GetTypeAsync(id, cancellationToken).ConfigureAwait(false) is { } type
                ? ApiResults.Json(type)
                : ApiResults.NotFound("Block type"));
        types.MapGet("/slug/{slug}", async (string slug, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new BlockCatalog(silo).GetTypeBySlugAsync(slug, cancellationToken).ConfigureAwait(false) is { } type
                ? ApiResults.Json(type)
                : ApiResults.NotFound("Block type"));
        types.MapPatch("/{id}", async (Guid id, HttpContext context, OrleansFlowSilo silo) =>
        {
            var body = await RequestBody.ReadAsync<Dictionary<string, JsonElement>>(context, allowEmpty: true).ConfigureAwait(false);
            var values = new Dictionary<string, string?>();
            foreach (var (key, value) in body)
            {
                values[key] = !Updatable.Contains(key)
                    ? throw ApiValidationException.Field(key, "extra fields not permitted", "value_error.extra")
                    : value.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.String => key.EndsWith("_url", StringComparison.Ordinal) ? ResourceNames.Url(value.GetString(), key) : value.GetString(),
                        _ => throw ApiValidationException.Field(key, "str type expected", "type_error.str"),
                    };
            }

            var outcome = await new BlockCatalog(silo).UpdateTypeAsync(id, type => type with
            {
                LogoUrl = values.TryGetValue("logo_url", out var logo) ? logo : type.LogoUrl,
                DocumentationUrl = values.TryGetValue("documentation_url", out var docs) ? docs : type.DocumentationUrl,
                Description = values.TryGetValue("description", out var description) ? description : type.Description,
                CodeExample = values.TryGetValue("code_example", out var example) ? example : type.CodeExample,
            }, context.RequestAborted).ConfigureAwait(false);
            return outcome switch
            {
                BlockOutcome.NotFound => ApiResults.NotFound("Block type"),
                BlockOutcome.Protected => Forbidden("protected block types cannot be updated."),
                _ => Results.NoContent(),
            };
        });
        types.MapDelete("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new BlockCatalog(silo).DeleteTypeAsync(id, cancellationToken).ConfigureAwait(false) switch
            {
                BlockOutcome.NotFound => ApiResults.NotFound("Block type"),
                BlockOutcome.Protected => Forbidden("protected block types cannot be deleted."),
                _ => Results.NoContent(),
            });
        types.MapGet("/slug/{slug}/block_documents", async (string slug, HttpContext context, OrleansFlowSilo silo) =>
            await new BlockDocumentCatalog(silo).ListForTypeAsync(slug, ResourceNames.QueryFlag(context, "include_secrets"), context.RequestAborted).ConfigureAwait(false) is { } documents
                ? ApiResults.Json(documents)
                : ApiResults.NotFound("Block type"));
        types.MapGet("/slug/{slug}/block_documents/name/{name}", async (string slug, string name, HttpContext context, OrleansFlowSilo silo) =>
            await new BlockDocumentCatalog(silo).GetByNameAsync(slug, name, ResourceNames.QueryFlag(context, "include_secrets"), context.RequestAborted).ConfigureAwait(false) is { } document
                ? ApiResults.Json(document)
                : ApiResults.NotFound("Block document"));

        api.MapGet("/block_capabilities/", async (OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            ApiResults.Json(await new BlockCatalog(silo).CapabilitiesAsync(cancellationToken).ConfigureAwait(false)));
    }

    internal static IResult Forbidden(string detail) => Results.Json(new { detail }, statusCode: StatusCodes.Status403Forbidden);
}
