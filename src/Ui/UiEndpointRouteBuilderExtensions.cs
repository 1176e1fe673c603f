using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Ui.Endpoints;

namespace OrleansFlow.Ui;

/// <summary>Maps the web UI.</summary>
public static class UiEndpointRouteBuilderExtensions
{
    /// <summary>Maps the UI pages (<c>/</c>, <c>/runs</c>, <c>/runs/{id}</c>, ...) and their helpers under <c>/ui</c>
    /// (stylesheet, script, log stream, run actions). Call <see cref="UiServiceCollectionExtensions.AddOrleansFlowUi"/> first.
    /// Pages have no Blazor forms, so they carry no antiforgery requirement; the run actions require a header that a
    /// cross-site form cannot send.</summary>
    public static IEndpointRouteBuilder MapOrleansFlowUi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapUiAssets();
        endpoints.MapUiRunEndpoints();
        endpoints.MapRazorComponents<App>().DisableAntiforgery();
        return endpoints;
    }
}
