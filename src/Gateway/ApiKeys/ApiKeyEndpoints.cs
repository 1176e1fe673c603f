using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Silo.ApiKeys;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Gateway.ApiKeys;

/// <summary>Routes under <c>/api/api_keys</c> (admin only when authentication is on): create a key (the answer holds the
/// key, once), list and read keys (never the key), revoke a key.</summary>
internal static class ApiKeyEndpoints
{
    public static void MapApiKeys(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/api_keys");
        keys.MapPost("/", async (HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<ApiKeyCreateRequest>(context).ConfigureAwait(false);
            var name = Check.MaxLength(Check.NotEmpty(request.Name?.Trim(), "name"), 200, "name");
            if (!ApiKeyRoles.TryParse(Check.Required(request.Role, "role"), out var role))
            {
                throw ApiValidationException.Field("role", "must be one of read_only, runner, admin");
            }

            if (request.Expires is { } expires && expires <= silo.Clock.GetUtcNow())
            {
                throw ApiValidationException.Field("expires", "must be in the future");
            }

            var (stored, key) = await new ApiKeyCatalog(silo).CreateAsync(name, role, request.Expires, context.RequestAborted).ConfigureAwait(false);
            context.Response.Headers.CacheControl = "no-store";
            return Results.Json(Shape(stored, silo.Clock.GetUtcNow(), key), statusCode: StatusCodes.Status201Created);
        });
        keys.MapGet("/", async (OrleansFlowSilo silo, string? limit, string? offset, CancellationToken cancellationToken) =>
        {
            var list = await new ApiKeyCatalog(silo).ListAsync(
                Check.Range(QueryValue.Int(limit, "limit") ?? FilterRequest.MaxLimit, 0, FilterRequest.MaxLimit, "limit"),
                Check.Range(QueryValue.Int(offset, "offset") ?? 0, 0, int.MaxValue, "offset"), cancellationToken).ConfigureAwait(false);
            var now = silo.Clock.GetUtcNow();
            return Results.Json(list.Select(key => Shape(key, now, secret: null)).ToList());
        });
        keys.MapGet("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new ApiKeyCatalog(silo).GetAsync(id, cancellationToken).ConfigureAwait(false) is { } key
                ? Results.Json(Shape(key, silo.Clock.GetUtcNow(), secret: null))
                : ApiResults.NotFound("API key"));
        keys.MapDelete("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
        {
            var catalog = new ApiKeyCatalog(silo);
            if (await catalog.RevokeAsync(id, cancellationToken).ConfigureAwait(false))
            {
                return Results.NoContent();
            }

            // Revoking twice is not an error: the key is revoked either way.
            return await catalog.GetAsync(id, cancellationToken).ConfigureAwait(false) is null ? ApiResults.NotFound("API key") : Results.NoContent();
        });
    }

    private static Dictionary<string, object?> Shape(ApiKey key, DateTimeOffset now, string? secret)
    {
        var shape = new Dictionary<string, object?>
        {
            ["id"] = key.Id,
            ["name"] = key.Name,
            ["role"] = ApiKeyRoles.Name(key.Role),
            ["prefix"] = key.Prefix,
            ["created"] = key.Created,
            ["expires"] = key.Expires,
            ["revoked"] = key.Revoked,
            ["active"] = key.IsActive(now),
        };
        if (secret is not null)
        {
            shape["key"] = secret;
        }

        return shape;
    }
}
