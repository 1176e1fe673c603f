using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Ui.Endpoints;

namespace OrleansFlow.Ui;

/// <summary>Maps the web UI.</summary>
public static class UiEndpointRouteBuilderExtensions
{
    /// <summary>Maps the UI pages (<c>/</c>, <c>/runs</c>, <c>/runs/{id}</c>, ...) and their helpers under <c>/ui</c>
    /// (stylesheet, script, log stream, run and deployment actions). Call <see cref="UiServiceCollectionExtensions.AddOrleansFlowUi"/> first.
    /// Pages have no Blazor forms, so they carry no antiforgery requirement; the run actions require a header that a
    /// cross-site form cannot send.</summary>
    public static IEndpointRouteBuilder MapOrleansFlowUi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapUiAssets();
        endpoints.MapUiRunEndpoints();
        endpoints.MapUiDeploymentEndpoints();
        endpoints.MapUiAutomationEndpoints();
        endpoints.MapRazorComponents<App>().DisableAntiforgery();

        // Any other GET outside /api and /ui renders the app's "not found" page (a 404 with the layout and navigation).
        endpoints.MapGet("/{**path:" + UiPathConstraint.Name + "}", () => new RazorComponentResult<App> { StatusCode = StatusCodes.Status404NotFound })
            .DisableAntiforgery();
        return endpoints;
    }
}
