using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Silo.Automations;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Ui.Endpoints;

/// <summary>The automations pages' actions: enable, disable and delete an automation (as the API's PATCH and DELETE
/// <c>/api/automations/{id}</c>, through the same catalog).</summary>
internal static class UiAutomationEndpoints
{
    public static void MapUiAutomationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var automations = endpoints.MapGroup("/ui/automations/{id:guid}").RequireActionHeader();
        automations.MapPost("/enable", (Guid id, HttpContext context, OrleansFlowSilo silo) => SetEnabledAsync(id, true, context, silo));
        automations.MapPost("/disable", (Guid id, HttpContext context, OrleansFlowSilo silo) => SetEnabledAsync(id, false, context, silo));
        automations.MapPost("/delete", async (Guid id, HttpContext context, OrleansFlowSilo silo) =>
        {
            return await new AutomationCatalog(silo).DeleteAsync(id, context.RequestAborted).ConfigureAwait(false)
                ? Results.Json(new { redirect = "/automations" })
                : Results.NotFound(new { detail = "Automation not found." });
        });
    }

    private static async Task<IResult> SetEnabledAsync(Guid id, bool enabled, HttpContext context, OrleansFlowSilo silo)
    {
        // Back to the page the toggle was on (the list or the automation's page).
        var back = context.Request.Headers.Referer.ToString() is { Length: > 0 } referer && Uri.TryCreate(referer, UriKind.Absolute, out var uri)
            && uri.AbsolutePath.StartsWith("/automations", StringComparison.Ordinal)
            ? uri.PathAndQuery
            : "/automations";
        return await new AutomationCatalog(silo).SetEnabledAsync(id, enabled, context.RequestAborted).ConfigureAwait(false)
            ? Results.Json(new { redirect = back })
            : Results.NotFound(new { detail = "Automation not found." });
    }
}
