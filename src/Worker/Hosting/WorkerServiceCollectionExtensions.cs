using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansFlow.Worker.Hosting;

namespace OrleansFlow.Worker;

/// <summary>A worker as a hosted service of a .NET generic host.</summary>
public static class WorkerServiceCollectionExtensions
{
    /// <summary>Runs a worker while the host runs: it claims the pool's due runs and starts each one (a local process, or a
    /// Kubernetes Job for a <c>kubernetes</c> pool), logging through <c>ILogger</c>. Settings come from
    /// <paramref name="configuration"/> (e.g. <c>builder.Configuration.GetSection("OrleansFlow:Worker")</c>, see
    /// <see cref="WorkerServiceOptions"/>) and then <paramref name="configure"/>; a missing pool fails the host's start.</summary>
    public static IServiceCollection AddOrleansFlowWorker(this IServiceCollection services, IConfiguration? configuration = null,
        Action<WorkerServiceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<WorkerServiceOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => !string.IsNullOrWhiteSpace(o.Pool), "OrleansFlow worker: set the work pool (OrleansFlow:Worker:Pool).").ValidateOnStart();
        services.AddHostedService<WorkerHostedService>();
        return services;
    }
}
