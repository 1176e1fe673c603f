using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansFlow.Silo.Artifacts;
using OrleansFlow.Silo.Blocks;
using OrleansFlow.Silo.ConcurrencyLimits;
using OrleansFlow.Silo.GlobalConcurrencyLimits;
using OrleansFlow.Silo.Deployments;
using OrleansFlow.Silo.Flows;
using OrleansFlow.Silo.Logs;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Queries.History;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Variables;
using OrleansFlow.Silo.WorkPools;
using OrleansFlow.Ui.Endpoints;
using OrleansFlow.Ui.Rendering;

namespace OrleansFlow.Ui;

/// <summary>Registers the web UI's services.</summary>
public static class UiServiceCollectionExtensions
{
    /// <summary>Adds the Razor components (server-side rendering only) and the Silo read models the pages use. Needs an
    /// <see cref="OrleansFlowSilo"/> registered in the container; <see cref="RunQueries"/> is added unless present.</summary>
    public static IServiceCollection AddOrleansFlowUi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRazorComponents();
        services.AddHttpContextAccessor();
        services.TryAddScoped(sp => ViewerTime.From(sp.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>().HttpContext));
        services.Configure<RouteOptions>(routes => routes.SetParameterPolicy<UiPathConstraint>(UiPathConstraint.Name));
        services.TryAddSingleton(sp => new RunQueries(sp.GetRequiredService<OrleansFlowSilo>()));
        services.TryAddSingleton(sp => new FlowCatalog(sp.GetRequiredService<OrleansFlowSilo>()));
        services.TryAddSingleton(sp => new LogCatalog(sp.GetRequiredService<OrleansFlowSilo>()));
        services.TryAddSingleton(sp => new ArtifactCatalog(sp.GetRequiredService<OrleansFlowSilo>()));
        services.TryAddSingleton(sp => new VariableCatalog(sp.GetRequiredService<OrleansFlowSilo>()));
        services.TryAddSingleton(sp => new BlockDocumentCatalog(sp.GetRequiredService<OrleansFlowSilo>()));
        services.TryAddSingleton(sp => new BlockCatalog(sp.GetRequiredService<OrleansFlowSilo>()));
        services.TryAddSingleton(sp => new ConcurrencyLimitCatalog(sp.GetRequiredService<OrleansFlowSilo>()));
        services.TryAddSingleton(sp => new GlobalConcurrencyLimitCatalog(sp.GetRequiredService<OrleansFlowSilo>()));
        services.TryAddSingleton(sp => new DeploymentCatalog(sp.GetRequiredService<OrleansFlowSilo>()));
        services.TryAddSingleton(sp => new WorkPoolCatalog(sp.GetRequiredService<OrleansFlowSilo>()));
        services.TryAddSingleton(sp => new RunHistoryQueries(sp.GetRequiredService<OrleansFlowSilo>()));
        services.TryAddSingleton<UiStreamLimits>();
        services.TryAddSingleton(sp => new RunChangeFeed(sp.GetRequiredService<OrleansFlowSilo>()));
        return services;
    }
}
