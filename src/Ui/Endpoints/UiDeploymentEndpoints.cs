using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Silo.Deployments;

namespace OrleansFlow.Ui.Endpoints;

/// <summary>The deployment pages' actions: pause and resume a deployment's schedule (as the API's
/// <c>set_schedule_inactive</c> / <c>set_schedule_active</c>) and delete it (as the API's <c>DELETE</c>: its future
/// auto-scheduled runs go with it; the runs it already made stay).</summary>
internal static class UiDeploymentEndpoints
{
    public static void MapUiDeploymentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var deployments = endpoints.MapGroup("/ui/deployments/{id:guid}").RequireActionHeader();
        deployments.MapPost("/pause", (Guid id, HttpContext context, DeploymentCatalog catalog) => SetActiveAsync(id, false, context, catalog));
        deployments.MapPost("/resume", (Guid id, HttpContext context, DeploymentCatalog catalog) => SetActiveAsync(id, true, context, catalog));
        deployments.MapPost("/delete", async (Guid id, HttpContext context, DeploymentCatalog catalog) =>
            await catalog.DeleteAsync(id, context.RequestAborted).ConfigureAwait(false)
                ? Results.Json(new { redirect = "/deployments" })
                : NotFound());
    }

    private static async Task<IResult> SetActiveAsync(Guid id, bool active, HttpContext context, DeploymentCatalog catalog)
    {
        return await catalog.SetScheduleActiveAsync(id, active, context.RequestAborted).ConfigureAwait(false)
            ? Results.Json(new { redirect = "/deployments" })
            : NotFound();
    }

    private static IResult NotFound() => Results.NotFound(new { detail = "Deployment not found." });
}
