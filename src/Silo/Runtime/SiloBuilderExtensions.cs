using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Serialization;

namespace OrleansFlow.Silo.Runtime;

/// <summary>Configures an Orleans silo to host OrleansFlow's grains.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>Adds OrleansFlow's grains and their services to <paramref name="builder"/>, running as a single silo on
    /// the loopback interface (no client gateway): the embedded server and the SDK's ephemeral mode.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="silo">The runtime whose database, clock and options the grains use.</param>
    public static ISiloBuilder AddOrleansFlowGrains(this ISiloBuilder builder, OrleansFlowSilo silo)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(silo);
        builder.UseLocalhostClustering(siloPort: OrleansFlowSilo.FreeLoopbackPort(), gatewayPort: 0,
            serviceId: "orleansflow", clusterId: "orleansflow-" + Guid.NewGuid().ToString("N"));
        builder.Services.AddSingleton(silo);
        builder.Services.AddSerializer(serializer => serializer.AddJsonSerializer(isSupported: _ => false));
        builder.Configure<GrainCollectionOptions>(collection =>
        {
            collection.CollectionAge = silo.Options.ActivationCollectionAge;
            collection.CollectionQuantum = TimeSpan.FromSeconds(Math.Clamp(silo.Options.ActivationCollectionAge.TotalSeconds / 4, 1, 60));
        });
        return builder;
    }
}
