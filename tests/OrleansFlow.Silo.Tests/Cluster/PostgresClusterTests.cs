using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Flows;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Testing;

namespace OrleansFlow.Silo.Tests.Cluster;

/// <summary>Two silos started with <see cref="OrleansFlowSilo.StartAsync"/> (as ephemeral mode and tools start theirs) on
/// one PostgreSQL database form one Orleans cluster (Clustering.AdoNet over migration 0010): a run has one activation in
/// the cluster whichever silo a call goes through. Contention and a silo leaving under load are tested on TestingHost
/// (<see cref="TestingHostClusterTests"/>), a SIGKILLed server process in OrleansFlow.Cli.Tests.</summary>
public sealed class PostgresClusterTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly List<(OrleansFlowSilo Silo, SiloAddress Address)> _silos = [];
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresServer.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var (silo, _) in _silos)
        {
            await silo.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task TwoSilos_OnOneDatabase_FormOneClusterAndARunHasOneActivation()
    {
        var (a, addressA) = await StartSiloAsync();
        var (b, addressB) = await StartSiloAsync();

        foreach (var silo in new[] { a, b })
        {
            var hosts = await Management(silo).GetHosts(onlyActive: true);
            Assert.Equal(new[] { addressA, addressB }.Select(h => h.ToString()).Order(), hosts.Keys.Select(h => h.ToString()).Order());
        }

        var run = await NewRunAsync(a);
        Assert.Equal(run.Id, (await b.FlowRun(run.Id).GetCurrentAsync())!.Id);
        Assert.Equal(StateType.Pending, (await a.FlowRun(run.Id).SetStateAsync(Proposed(StateType.Pending), force: false)).Result.State!.Type);

        // The transition made through A is what B's call sees (it reached the same activation), and both silos' views of
        // the grain directory name the same single activation.
        Assert.Equal(StateType.Pending, (await b.FlowRun(run.Id).GetCurrentAsync())!.StateType);
        var grain = (GrainReference)a.FlowRun(run.Id);
        Assert.Equal(1, await Management(a).GetGrainActivationCount(grain));
        Assert.Equal(1, await Management(b).GetGrainActivationCount((GrainReference)b.FlowRun(run.Id)));
        var where = await Management(a).GetActivationAddress(grain);
        Assert.Contains(where, new[] { addressA, addressB });
        Assert.Equal(where, await Management(b).GetActivationAddress(b.FlowRun(run.Id)));
    }

    private async Task<(OrleansFlowSilo Silo, SiloAddress Address)> StartSiloAsync()
    {
        var known = _silos.Select(s => s.Address).ToHashSet();
        var silo = await OrleansFlowSilo.StartAsync(_database.Options(maxPoolSize: 12), options: new SiloOptions { JitterSeed = 7 });
        var hosts = await Management(silo).GetHosts(onlyActive: true);
        var entry = (silo, hosts.Keys.Single(a => !known.Contains(a)));
        _silos.Add(entry);
        return entry;
    }

    private static IManagementGrain Management(OrleansFlowSilo silo) => silo.Grains.GetGrain<IManagementGrain>(0);

    private static ProposedState Proposed(StateType type) => new() { Type = type };

    private static async Task<FlowRun> NewRunAsync(OrleansFlowSilo silo, string name = "brave-fox", Guid? flowId = null)
    {
        flowId ??= (await new FlowCatalog(silo).UpsertAsync("cluster", [], default)).Flow.Id;
        var scheduled = new ProposedState
        {
            Type = StateType.Scheduled,
            StateDetails = new StateDetails { ScheduledTime = DateTimeOffset.UtcNow.AddSeconds(-1) },
        };
        var (run, created) = await silo.FlowRun(silo.NewId()).CreateAsync(
            new FlowRun { Id = Guid.Empty, Name = name, FlowId = flowId.Value }, scheduled);
        Assert.True(created);
        return run;
    }
}
