using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Tests.Cluster;

/// <summary>Makes every silo of a <see cref="TestCluster"/> an OrleansFlow silo, configured the way the server configures
/// its own: it opens an <see cref="OrleansFlowSilo"/> runtime over the database named by <see cref="DatabaseUrlKey"/>
/// (migrating it), adds the grains with <c>AddOrleansFlowGrains</c> (so membership is
/// Clustering.AdoNet on that database, under the test cluster's id), binds the runtime to the silo when the silo starts
/// and closes it when the silo has stopped. TestingHost creates one instance per silo, through its parameterless
/// constructor, and hands settings over in the configuration only (<see cref="TestClusterBuilder.Properties"/>).</summary>
public sealed class OrleansFlowSiloConfigurator : ISiloConfigurator
{
    /// <summary>The configuration key of the database's <c>postgresql://</c> URL.</summary>
    public const string DatabaseUrlKey = "OrleansFlow:DatabaseUrl";

    /// <summary>The configuration key that opens a client gateway on each silo, on a free port, when "true" (optional).</summary>
    public const string OpenGatewayKey = "OrleansFlow:OpenGateway";

    /// <summary>The configuration key of each silo's connection pool size (optional; default 12).</summary>
    public const string MaxPoolSizeKey = "OrleansFlow:MaxPoolSize";

    /// <inheritdoc />
    public void Configure(ISiloBuilder siloBuilder)
    {
        var configuration = siloBuilder.Configuration;
        var database = new DatabaseOptions
        {
            DatabaseUrl = configuration[DatabaseUrlKey] ?? throw new InvalidOperationException($"{DatabaseUrlKey} is not set."),
            MaxPoolSize = int.TryParse(configuration[MaxPoolSizeKey], out var pool) ? pool : 12,
        };
        var options = new SiloOptions
        {
            ClusterId = configuration["Orleans:ClusterId"] ?? "orleansflow",
            ServiceId = configuration["Orleans:ServiceId"] ?? "orleansflow",
            JitterSeed = 7,
            GatewayPort = configuration[OpenGatewayKey] == "true" ? OrleansFlowSilo.FreeLoopbackPort() : 0,
        };

        // ISiloConfigurator.Configure is synchronous and runs while TestingHost builds the silo's host on a pool thread:
        // waiting here for the database is what the server does before it builds its host.
        var runtime = OrleansFlowSilo.OpenAsync(database, options: options).GetAwaiter().GetResult();
        siloBuilder.AddOrleansFlowGrains(runtime);
        siloBuilder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => new RuntimeBinding(runtime, services));
    }

    /// <summary>Attaches the runtime to the silo's grain factory before anything else starts, and disposes it (closing
    /// its database) after everything else has stopped.</summary>
    private sealed class RuntimeBinding(OrleansFlowSilo runtime, IServiceProvider services) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(OrleansFlowSiloConfigurator),
            ServiceLifecycleStage.First,
            _ =>
            {
                runtime.Attach(services);
                return Task.CompletedTask;
            },
            async _ => await runtime.DisposeAsync());
    }
}
