using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansFlow.Hosting;

namespace OrleansFlow;

/// <summary>Serving deployments as a hosted service of a .NET generic host.</summary>
public static class ServeServiceCollectionExtensions
{
    /// <summary>Serves <paramref name="deployments"/> in this process while the host runs (what
    /// <see cref="Flows.ServeAsync(ServeOptions, CancellationToken, Deployment[])"/> does), logging through <c>ILogger</c>.
    /// Settings come from <paramref name="configuration"/> (e.g. <c>builder.Configuration.GetSection("OrleansFlow:Serve")</c>,
    /// see <see cref="ServeHostOptions"/>) and then <paramref name="configure"/>.</summary>
    /// <exception cref="ArgumentException">No deployment (thrown when the host starts the service: two with the same flow
    /// and name, a non-positive limit).</exception>
    public static IServiceCollection AddOrleansFlowServe(this IServiceCollection services, IEnumerable<Deployment> deployments,
        IConfiguration? configuration = null, Action<ServeHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(deployments);
        var list = deployments.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("Serve at least one deployment.", nameof(deployments));
        }

        var options = services.AddOptions<ServeHostOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddHostedService(provider => ActivatorUtilities.CreateInstance<ServeHostedService>(provider, (IEnumerable<Deployment>)list));
        return services;
    }
}
