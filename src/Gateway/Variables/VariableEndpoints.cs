using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Gateway.Blocks;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Variables;

namespace OrleansFlow.Gateway.Variables;

/// <summary>Routes under <c>/api/variables</c>.</summary>
internal static class VariableEndpoints
{
    public static void MapVariables(this RouteGroupBuilder api)
    {
        var variables = api.MapGroup("/variables");
        variables.MapPost("/", async (HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await RequestBody.ReadAsync<VariableCreateRequest>(context).ConfigureAwait(false);
            var name = CheckName(Check.Required(request.Name, "name"));
            var value = Check.MaxLength(Check.Required(request.Value, "value"), Variable.MaxValueLength, "value");
            return await new VariableCatalog(silo).CreateAsync(name, value, Check.Tags(request.Tags), context.RequestAborted).ConfigureAwait(false) is { } variable
                ? ApiResults.Json(variable, StatusCodes.Status201Created)
                : ApiResults.Conflict($"A variable with the name '{name}' already exists.");
        });
        variables.MapGet("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new VariableCatalog(silo).GetAsync(id, cancellationToken).ConfigureAwait(false) is { } variable ? ApiResults.Json(variable) : NotFound());
        variables.MapGet("/name/{name}", async (string name, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new VariableCatalog(silo).GetByNameAsync(name, cancellationToken).ConfigureAwait(false) is { } variable ? ApiResults.Json(variable) : NotFound());
        variables.MapPatch("/{id}", async (Guid id, HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await ReadUpdateAsync(context).ConfigureAwait(false);
            return Result(await new VariableCatalog(silo).UpdateAsync(id, request.Name, request.Value, request.Tags, context.RequestAborted).ConfigureAwait(false), request.Name);
        });
        variables.MapPatch("/name/{name}", async (string name, HttpContext context, OrleansFlowSilo silo) =>
        {
            var request = await ReadUpdateAsync(context).ConfigureAwait(false);
            return Result(await new VariableCatalog(silo).UpdateByNameAsync(name, request.Name, request.Value, request.Tags, context.RequestAborted).ConfigureAwait(false), request.Name);
        });
        variables.MapDelete("/{id}", async (Guid id, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new VariableCatalog(silo).DeleteAsync(id, cancellationToken).ConfigureAwait(false) ? Results.NoContent() : NotFound());
        variables.MapDelete("/name/{name}", async (string name, OrleansFlowSilo silo, CancellationToken cancellationToken) =>
            await new VariableCatalog(silo).DeleteByNameAsync(name, cancellationToken).ConfigureAwait(false) ? Results.NoContent() : NotFound());
        variables.MapPost("/filter", async (HttpContext context, OrleansFlowSilo silo) =>
            ApiResults.Json(await new VariableCatalog(silo).FilterAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)));
        variables.MapPost("/count", async (HttpContext context, OrleansFlowSilo silo) =>
            ApiResults.Json(await new VariableCatalog(silo).CountAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)));
    }

    private static string CheckName(string name) =>
        ResourceNames.UnderscoresOnly(Check.MaxLength(Check.NotEmpty(name, "name"), Variable.MaxNameLength, "name"), "name", "Variable name");

    private static async Task<(string? Name, string? Value, IReadOnlyList<string>? Tags)> ReadUpdateAsync(HttpContext context)
    {
        var request = await RequestBody.ReadAsync<VariableUpdateRequest>(context, allowEmpty: true).ConfigureAwait(false);
        return (
            request.Name is null ? null : CheckName(request.Name),
            request.Value is null ? null : Check.MaxLength(request.Value, Variable.MaxValueLength, "value"),
            request.Tags is null ? null : Check.Tags(request.Tags));
    }

    private static IResult Result(VariableChange change, string? name) => change switch
    {
        VariableChange.NotFound => NotFound(),
        VariableChange.NameTaken => ApiResults.Conflict($"A variable with the name '{name}' already exists."),
        _ => Results.NoContent(),
    };

    private static IResult NotFound() => Results.Json(new { detail = "Variable not found." }, statusCode: StatusCodes.Status404NotFound);
}
