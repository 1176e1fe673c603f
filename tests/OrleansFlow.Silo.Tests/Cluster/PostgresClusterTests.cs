using System.Diagnostics;
using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Flows;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Testing;
using Xunit.Abstractions;

namespace OrleansFlow.Silo.Tests.Cluster;

/// <summary>Several silos on one PostgreSQL database form one Orleans cluster (Clustering.AdoNet over migration 0010):
/// a run has one activation in the cluster whichever silo a call goes through, and a silo that leaves under load loses
/// and repeats nothing. The silos are <see cref="OrleansFlowSilo"/>s in this process, started exactly as the server
/// starts them, rather than a TestingHost cluster: TestCluster brings its own membership, and the point here is the
/// membership OrleansFlow configures.</summary>
public sealed class PostgresClusterTests(ITestOutputHelper output) : IAsyncLifetime
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

    [Fact]
    public async Task SixteenPendingProposals_ThroughThreeSilos_ExactlyOneIsAccepted()
    {
        var silos = new List<OrleansFlowSilo>();
        for (var i = 0; i < 3; i++)
        {
            silos.Add((await StartSiloAsync()).Silo);
        }

        for (var round = 0; round < 3; round++)
        {
            var run = await NewRunAsync(silos[round], $"contested-{round}");
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var proposals = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
            {
                await gate.Task;
                return await silos[i % 3].FlowRun(run.Id).SetStateAsync(Proposed(StateType.Pending), force: false);
            })).ToArray();
            gate.SetResult();
            var results = await Task.WhenAll(proposals);

            var accepted = Assert.Single(results, r => r.Result.Status == OrchestrationStatus.Accept);
            Assert.True(accepted.Written);
            Assert.All(results.Where(r => r != accepted), r => Assert.Equal((OrchestrationStatus.Abort, false), (r.Result.Status, r.Written)));
            var history = await new RunQueries(silos[2]).FlowRunStatesAsync(run.Id, default);
            Assert.Equal([StateType.Scheduled, StateType.Pending], history.Select(s => s.Type));
            Assert.Equal(accepted.Result.State!.Id, history[1].Id);
        }
    }

    // A proposal whose answer was lost in the stop is sent again through a survivor with the same transition id, as the
    // client does: without the id a second COMPLETED on a COMPLETED run is a legal transition and the history could end
    // Completed, Completed (this test found that).
    [Fact]
    public async Task ASiloStoppedUnderLoad_LosesNoAcknowledgedTransitionAndAppliesNoneTwice()
    {
        var silos = new List<(OrleansFlowSilo Silo, SiloAddress Address)>();
        for (var i = 0; i < 3; i++)
        {
            silos.Add(await StartSiloAsync());
        }

        var flow = (await new FlowCatalog(silos[0].Silo).UpsertAsync("under-load", [], default)).Flow;
        var runs = new List<Guid>();
        for (var i = 0; i < 48; i++)
        {
            runs.Add((await NewRunAsync(silos[i % 3].Silo, $"load-{i}", flow.Id)).Id);
        }

        // Activate every run, then see where each one lives: the victim is the silo holding the most of them.
        foreach (var id in runs)
        {
            await silos[0].Silo.FlowRun(id).GetCurrentAsync();
        }

        var management = Management(silos[0].Silo);
        var placement = new Dictionary<Guid, SiloAddress?>();
        foreach (var id in runs)
        {
            placement[id] = await management.GetActivationAddress(silos[0].Silo.FlowRun(id));
        }

        var victim = silos.MaxBy(s => placement.Values.Count(a => a == s.Address));
        var victimRuns = runs.Where(id => placement[id] == victim.Address).ToList();
        Assert.NotEmpty(victimRuns);
        var survivors = silos.Where(s => s != victim).Select(s => s.Silo).ToArray();

        // Every run is driven SCHEDULED → PENDING → RUNNING → COMPLETED by its own loop, each call through the next silo
        // in turn; the victim stops while the loops run.
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<(Guid Run, Guid StateId, StateType Type)>();
        var stopped = 0;
        var midway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var drivers = runs.Select((id, index) => Task.Run(async () =>
        {
            var turn = index;
            foreach (var type in new[] { StateType.Pending, StateType.Running, StateType.Completed })
            {
                var proposal = Proposed(type) with { StateDetails = new StateDetails { TransitionId = Guid.NewGuid() } };
                while (true)
                {
                    var pool = Volatile.Read(ref stopped) == 1 ? survivors : silos.Select(s => s.Silo).ToArray();
                    var through = pool[turn++ % pool.Length];
                    try
                    {
                        var result = await through.FlowRun(id).SetStateAsync(proposal, force: false);
                        if (Interlocked.Increment(ref calls) == runs.Count)
                        {
                            midway.TrySetResult();
                        }

                        if (result.Result.Status == OrchestrationStatus.Accept)
                        {
                            acknowledged.Add((id, result.Result.State!.Id, type));
                            break;
                        }

                        // Not accepted: an earlier call whose answer was lost in the stop applied it. The answer is that
                        // call's state, and the run says so.
                        Assert.Equal((OrchestrationStatus.Reject, type, proposal.StateDetails.TransitionId),
                            (result.Result.Status, result.Result.State!.Type, result.Result.State.StateDetails.TransitionId));
                        var current = await survivors[turn % survivors.Length].FlowRun(id).GetAsync();
                        Assert.Equal(type, current!.StateType);
                        break;
                    }
                    catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
                    {
                        // The call went through (or to) the stopping silo and has no answer: try again through another.
                        await Task.Delay(20);
                    }
                }
            }
        })).ToArray();

        await midway.Task.WaitAsync(Deadline);
        var clock = Stopwatch.StartNew();
        var stopping = victim.Silo.DisposeAsync().AsTask();
        Volatile.Write(ref stopped, 1);

        // Failover: how long until a run that lived on the victim answers through a survivor.
        await Poll.UntilAsync(async () =>
        {
            try
            {
                return await survivors[0].FlowRun(victimRuns[0]).GetCurrentAsync() is not null;
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                return false;
            }
        }, Deadline, "a run of the stopped silo to answer through a survivor", TimeSpan.FromMilliseconds(10));
        var failover = clock.Elapsed;
        await stopping.WaitAsync(Deadline);
        var stop = clock.Elapsed;
        _silos.Remove(victim);
        await Task.WhenAll(drivers).WaitAsync(Deadline);
        output.WriteLine($"{victimRuns.Count} of {runs.Count} runs lived on the stopped silo; one answered through a survivor " +
            $"{failover.TotalMilliseconds:0} ms after the stop began; the stop took {stop.TotalMilliseconds:0} ms.");

        var queries = new RunQueries(survivors[0]);
        foreach (var id in runs)
        {
            var history = await queries.FlowRunStatesAsync(id, default);
            Assert.Equal([StateType.Scheduled, StateType.Pending, StateType.Running, StateType.Completed], history.Select(s => s.Type));
            Assert.All(acknowledged.Where(a => a.Run == id), a => Assert.Contains(history, s => s.Id == a.StateId && s.Type == a.Type));
            var run = await survivors[1].FlowRun(id).GetCurrentAsync();
            Assert.Equal((StateType.Completed, history[^1].Id), (run!.StateType, run.StateId));
        }

        Assert.All(await Task.WhenAll(survivors.Select(s => Management(s).GetHosts(onlyActive: true))),
            hosts => Assert.DoesNotContain(victim.Address, hosts.Keys));
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
