using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Gateway.Blocks;
using OrleansFlow.Grains.Json;
using OrleansFlow.Silo.Artifacts;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Gateway.Artifacts;

/// <summary>Routes under <c>/api/artifacts</c>.</summary>
internal static class ArtifactEndpoints
{
    public static void MapArtifacts(this RouteGroupBuilder api)
    {
        var artifacts = api.MapGroup("/artifacts");
        artifacts.MapPost("/", async (HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<ArtifactCreateRequest>(context).ConfigureAwait(false);
            var artifact = new Artifact
            {
                Id = Guid.Empty,
                Key = request.Key is null ? null : ResourceNames.DashesOnly(request.Key, "key", "Artifact key"),
                Type = request.Type,
                Description = request.Description,
                Data = request.Data is { ValueKind: JsonValueKind.Null } ? null : request.Data,
                Metadata = request.Metadata,
                FlowRunId = request.FlowRunId,
                TaskRunId = request.TaskRunId,
            };
            return ApiResults.Json(await new ArtifactCatalog(silo).CreateAsync(artifact, context.RequestAborted).ConfigureAwait(false), StatusCodes.Status201Created);
        });
        artifacts.MapGet("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new ArtifactCatalog(silo).GetAsync(id, cancellationToken).ConfigureAwait(false) is { } artifact ? ApiResults.Json(artifact) : NotFound());
        artifacts.MapGet("/{key}/latest", async (string key, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new ArtifactCatalog(silo).LatestAsync(key, cancellationToken).ConfigureAwait(false) is { } latest ? ApiResults.Json(latest) : NotFound());
        artifacts.MapPatch("/{id}", async (Guid id, HttpContext context, OrleansFlowSilo silo) =>
        {
            var body = await RequestBody.ReadAsync<Dictionary<string, JsonElement>>(context, allowEmpty: true).ConfigureAwait(false);
            var has = (Data: false, Description: false, Metadata: false);
            JsonElement? data = null;
            string? description = null;
            Dictionary<string, string>? metadata = null;
            foreach (var (key, value) in body)
            {
                switch (key)
                {
                    case "data":
                        has.Data = true;
                        data = value.ValueKind == JsonValueKind.Null ? null : value;
                        break;
                    case "description":
                        has.Description = true;
                        description = value.ValueKind switch
                        {
                            JsonValueKind.Null => null,
                            JsonValueKind.String => value.GetString(),
                            _ => throw ApiValidationException.Field("description", "str type expected", "type_error.str"),
                        };
                        break;
                    case "metadata_":
                        has.Metadata = true;
                        metadata = ReadMetadata(value);
                        break;
                    default:
                        throw ApiValidationException.Field(key, "extra fields not permitted", "value_error.extra");
                }
            }

            return await new ArtifactCatalog(silo).UpdateAsync(id, artifact => artifact with
            {
                Data = has.Data ? data : artifact.Data,
                Description = has.Description ? description : artifact.Description,
                Metadata = has.Metadata ? metadata : artifact.Metadata,
            }, context.RequestAborted).ConfigureAwait(false) ? Results.NoContent() : NotFound();
        });
        artifacts.MapDelete("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new ArtifactCatalog(silo).DeleteAsync(id, cancellationToken).ConfigureAwait(false) ? Results.NoContent() : NotFound());
        artifacts.MapPost("/filter", async (HttpContext context, OrleansFlowSilo silo) =>
            ApiResults.Json(await new ArtifactCatalog(silo).FilterAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)));
        artifacts.MapPost("/count", async (HttpContext context, OrleansFlowSilo silo) =>
            ApiResults.Json(await new ArtifactCatalog(silo).CountAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)));
        artifacts.MapPost("/latest/filter", async (HttpContext context, OrleansFlowSilo silo) =>
            ApiResults.Json(await new ArtifactCatalog(silo).FilterLatestAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)));
        artifacts.MapPost("/latest/count", async (HttpContext context, OrleansFlowSilo silo) =>
            ApiResults.Json(await new ArtifactCatalog(silo).CountLatestAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)));
    }

    private static Dictionary<string, string>? ReadMetadata(JsonElement value)
    {
        try
        {
            return value.Deserialize<Dictionary<string, string>>(OrleansFlowJson.Options);
        }
        catch (JsonException)
        {
            throw ApiValidationException.Field("metadata_", "value is not a valid dict of strings", "type_error.dict");
        }
    }

    private static IResult NotFound() => Results.Json(new { detail = "Artifact not found." }, statusCode: StatusCodes.Status404NotFound);
}
