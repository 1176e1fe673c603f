using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Testing;

namespace OrleansFlow.Silo.Tests.Cluster;

/// <summary>A <see cref="TestCluster"/> (Microsoft.Orleans.TestingHost) whose silos are OrleansFlow silos on one real
/// PostgreSQL database: TestingHost's own membership is off (<see cref="TestClusterOptions.UseTestClusterMembership"/>),
/// so the silos find each other through OrleansFlow's Clustering.AdoNet tables (migration 0010), and they talk over TCP
/// as servers do. TestingHost's default of the experimental distributed grain directory is taken out too: the silos run
/// the grain directory the server runs. There is no cluster client: calls go through each silo's own grain factory, as
/// the HTTP gateway's do.</summary>
internal sealed class PostgresTestCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private PostgresTestCluster(TestCluster cluster) => Cluster = cluster;

    /// <summary>The TestingHost cluster (stop, kill or add silos through it).</summary>
    public TestCluster Cluster { get; }

    /// <summary>The silos started and not stopped.</summary>
    public IReadOnlyList<SiloHandle> Silos => Cluster.GetActiveSilos().ToList();

    /// <summary>Deploys <paramref name="silos"/> silos on <paramref name="database"/> and waits until each of them sees
    /// all of them active. With <paramref name="openGateways"/>, each silo opens a client gateway, as
    /// <c>orleansflow server start</c> does for the gateway tier.</summary>
    public static async Task<PostgresTestCluster> StartAsync(PostgresTestDatabase database, short silos, bool openGateways = false)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.InitializeClientOnDeploy = false;
        builder.Options.ConfigureFileLogging = false;
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.Options.SiloBuilderConfiguratorTypes.RemoveAll(type => type?.Contains("ConfigureDistributedGrainDirectory", StringComparison.Ordinal) == true);
        builder.Properties[OrleansFlowSiloConfigurator.DatabaseUrlKey] = database.Url;
        if (openGateways)
        {
            builder.Properties[OrleansFlowSiloConfigurator.OpenGatewayKey] = "true";
        }

        builder.AddSiloBuilderConfigurator<OrleansFlowSiloConfigurator>();

        var cluster = new PostgresTestCluster(builder.Build());
        try
        {
            await cluster.Cluster.DeployAsync();
            await cluster.WaitForMembershipAsync(StartDeadline);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>The OrleansFlow runtime of <paramref name="silo"/> (its grain factory, database and clock).</summary>
    public static OrleansFlowSilo Runtime(SiloHandle silo) =>
        ((InProcessSiloHandle)silo).ServiceProvider.GetRequiredService<OrleansFlowSilo>();

    /// <summary>Orleans' management grain, called through <paramref name="silo"/>.</summary>
    public static IManagementGrain Management(SiloHandle silo) => Runtime(silo).Grains.GetGrain<IManagementGrain>(0);

    /// <summary>Waits until every running silo counts exactly the running silos as active.</summary>
    public async Task WaitForMembershipAsync(TimeSpan deadline)
    {
        var silos = Silos;
        var expected = silos.Select(s => s.SiloAddress.ToString()).Order().ToList();
        await Poll.UntilAsync(async () =>
        {
            foreach (var silo in silos)
            {
                var hosts = await Management(silo).GetHosts(onlyActive: true);
                if (!hosts.Keys.Select(h => h.ToString()).Order().SequenceEqual(expected))
                {
                    return false;
                }
            }

            return true;
        }, deadline, $"each of {silos.Count} silos to see all of them active");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
