using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansFlow.Grains.Deployments;
using OrleansFlow.Silo.Deployments;
using OrleansFlow.Silo.Flows;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;

namespace OrleansFlow.Silo.Tests.Cluster;

/// <summary>A deployment's schedule reminder on a PostgreSQL cluster: one silo holds it (the one whose share of the ring
/// holds the grain's hash); when that silo stops, a survivor takes the reminder over and keeps making the deployment's
/// runs, and no scheduled time ever gets two runs. The silos are hosted here exactly as
/// <see cref="OrleansFlowSilo.StartAsync"/> hosts them, keeping their services to ask each one for its share of the
/// ring.</summary>
public sealed class PostgresReminderFailoverTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly Type RingProviderType =
        Type.GetType("Orleans.Runtime.ConsistentRing.IConsistentRingProvider, Orleans.Runtime", throwOnError: true)!;

    private readonly List<(OrleansFlowSilo Silo, IHost Host)> _silos = [];
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresServer.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await StopAsync(silo);
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task TheSiloHoldingTheReminderStops_ASurvivorKeepsMakingRunsAndNoTimeGetsTwo()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        for (var i = 0; i < 3; i++)
        {
            _silos.Add(await StartSiloAsync(clock));
        }

        await Poll.UntilAsync(async () => (await Task.WhenAll(_silos.Select(s => Management(s.Silo).GetHosts(onlyActive: true)))).All(h => h.Count == 3),
            Deadline, "every silo to see the three");

        var first = _silos[0].Silo;
        var flow = (await new FlowCatalog(first).UpsertAsync("failover", [], default)).Flow;
        var (deployment, _) = await new DeploymentCatalog(first).UpsertAsync(new Deployment
        {
            Id = Guid.Empty,
            Name = "every-ten-minutes",
            FlowId = flow.Id,
            Schedule = JsonDocument.Parse("""{"interval": 600, "anchor_date": "2026-01-01T00:00:00Z"}""").RootElement,
        }, default);
        Assert.True(await first.Deployment(deployment.Id).HasReminderAsync());
        Assert.Equal(6, (await RunTimesAsync(first, deployment.Id)).Count);

        // Exactly one silo's share of the ring holds the reminder once the ring has settled.
        var grain = ((GrainReference)first.Deployment(deployment.Id)).GrainId;
        (OrleansFlowSilo Silo, IHost Host) holder = default;
        await Poll.UntilAsync(() =>
        {
            var holders = _silos.Where(s => HoldsOnRing(s.Host, grain)).ToList();
            holder = holders.Count == 1 ? holders[0] : default;
            return holders.Count == 1;
        }, Deadline, "one silo to hold the reminder's hash");

        // The holder's reminder makes the hour's runs; then the holder stops and a survivor makes the next hours'.
        clock.Advance(TimeSpan.FromHours(1));
        await UntilRunsAsync(first, deployment.Id, 12);
        _silos.Remove(holder);
        await StopAsync(holder);
        var survivor = _silos[0].Silo;
        for (var hour = 2; hour <= 3; hour++)
        {
            clock.Advance(TimeSpan.FromHours(1));
            await UntilRunsAsync(survivor, deployment.Id, 6 + 6 * hour);
        }

        Assert.True(await survivor.Deployment(deployment.Id).HasReminderAsync());
        Assert.Single(_silos, s => HoldsOnRing(s.Host, grain));
        var times = await RunTimesAsync(survivor, deployment.Id);
        Assert.Equal(times.Count, times.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, times.Count).Select(i => new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(10 * i)), times);
    }

    private async Task<(OrleansFlowSilo Silo, IHost Host)> StartSiloAsync(TimeProvider clock)
    {
        var silo = await OrleansFlowSilo.OpenAsync(_database.Options(maxPoolSize: 12), clock,
            new SiloOptions { JitterSeed = 7, SchedulePeriod = TimeSpan.FromSeconds(1) });
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(orleans => orleans.AddOrleansFlowGrains(silo));
        var host = builder.Build();
        silo.Attach(host.Services);
        await host.StartAsync();
        return (silo, host);
    }

    private static async Task StopAsync((OrleansFlowSilo Silo, IHost Host) silo)
    {
        try
        {
            await silo.Host.StopAsync();
        }
        finally
        {
            silo.Host.Dispose();
            await silo.Silo.DisposeAsync();
        }
    }

    /// <summary>Whether the silo's share of the consistent ring (the one its reminder service serves) holds the grain.
    /// Orleans keeps the ring provider internal: it is looked up by name.</summary>
    private static bool HoldsOnRing(IHost host, GrainId grain)
    {
        var ring = host.Services.GetRequiredService(RingProviderType);
        var range = (IRingRange)RingProviderType.GetMethod("GetMyRange", BindingFlags.Public | BindingFlags.Instance)!.Invoke(ring, null)!;
        return range.InRange(grain);
    }

    private static IManagementGrain Management(OrleansFlowSilo silo) => silo.Grains.GetGrain<IManagementGrain>(0);

    private static Task UntilRunsAsync(OrleansFlowSilo silo, Guid deploymentId, int count) =>
        Poll.UntilAsync(async () => (await RunTimesAsync(silo, deploymentId)).Count >= count, Deadline, $"the deployment to have {count} runs");

    private static Task<List<DateTimeOffset>> RunTimesAsync(OrleansFlowSilo silo, Guid deploymentId) =>
        silo.Database.ReadAsync(async session =>
        {
            await using var command = session.Text("SELECT expected_start_time FROM flow_runs WHERE deployment_id = @id ORDER BY expected_start_time")
                .Add("id", deploymentId);
            return await command.ListAsync(r => Rows.Time(r, 0), default);
        }, default);
}
