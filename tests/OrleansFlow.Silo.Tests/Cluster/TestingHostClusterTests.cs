using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Flows;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Testing;
using Xunit.Abstractions;

namespace OrleansFlow.Silo.Tests.Cluster;

/// <summary>Cluster behaviour on Microsoft.Orleans.TestingHost: three OrleansFlow silos on one PostgreSQL database
/// (<see cref="PostgresTestCluster"/>), membership through OrleansFlow's Clustering.AdoNet tables. A run has one
/// activation in the cluster whichever silo a call arrives through, and a silo that leaves under load (stopped, or
/// killed: stopped without its graceful shutdown) loses no acknowledged transition, applies none twice, and its runs go
/// on on the survivors.</summary>
public sealed class TestingHostClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly StateType[] Lifecycle = [StateType.Scheduled, StateType.Pending, StateType.Running, StateType.Completed];
    private PostgresTestDatabase _database = null!;
    private PostgresTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync();
        _cluster = await PostgresTestCluster.StartAsync(_database, silos: 3);
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task SixteenPendingProposals_ArrivingThroughThreeSilos_ExactlyOneIsAccepted()
    {
        var silos = _cluster.Silos.Select(PostgresTestCluster.Runtime).ToArray();
        Assert.Equal(3, silos.Length);
        var flowId = await FlowAsync(silos[0], "contested");

        for (var round = 0; round < 3; round++)
        {
            var run = await NewRunAsync(silos[round], flowId, $"contested-{round}");
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var proposals = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
            {
                await gate.Task;
                return await silos[i % 3].FlowRun(run).SetStateAsync(new ProposedState { Type = StateType.Pending }, force: false);
            })).ToArray();
            gate.SetResult();
            var results = await Task.WhenAll(proposals);

            var accepted = Assert.Single(results, r => r.Result.Status == OrchestrationStatus.Accept);
            Assert.True(accepted.Written);
            Assert.All(results.Where(r => r != accepted), r => Assert.Equal((OrchestrationStatus.Abort, false), (r.Result.Status, r.Written)));
            var history = await StateRowsAsync(run);
            Assert.Equal([StateType.Scheduled, StateType.Pending], history.Select(s => s.Type));
            Assert.Equal(accepted.Result.State!.Id, history[1].Id);
        }
    }

    // Stop: the silo's graceful shutdown (it marks itself dead in the table and hands its activations off). Kill:
    // TestingHost's KillSiloAsync, the same stop with its token already cancelled: no graceful deactivation, no grace
    // period. The hard case (a process gone without a word) is the kill -9 test in OrleansFlow.Cli.Tests.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ASiloLeavingUnderLoad_LosesNoAcknowledgedTransition_AppliesNoneTwice_AndItsRunsGoOnOnTheSurvivors(bool kill)
    {
        var handles = _cluster.Silos.ToArray();
        var flowId = await FlowAsync(PostgresTestCluster.Runtime(handles[0]), "under-load");
        var runs = new List<Guid>();
        for (var i = 0; i < 48; i++)
        {
            runs.Add(await NewRunAsync(PostgresTestCluster.Runtime(handles[i % 3]), flowId, $"load-{i}"));
        }

        // Activate every run, then see where each one lives: the victim is the silo holding the most of them.
        var management = PostgresTestCluster.Management(handles[0]);
        var placement = new Dictionary<Guid, SiloAddress?>();
        foreach (var id in runs)
        {
            await PostgresTestCluster.Runtime(handles[0]).FlowRun(id).GetCurrentAsync();
            placement[id] = await management.GetActivationAddress(PostgresTestCluster.Runtime(handles[0]).FlowRun(id));
        }

        var victim = handles.MaxBy(h => placement.Values.Count(a => a == h.SiloAddress))!;
        var victimRuns = runs.Where(id => placement[id] == victim.SiloAddress).ToList();
        Assert.NotEmpty(victimRuns);
        var all = handles.Select(PostgresTestCluster.Runtime).ToArray();
        var survivors = handles.Where(h => h != victim).Select(PostgresTestCluster.Runtime).ToArray();

        // Every run is driven SCHEDULED → PENDING → RUNNING → COMPLETED by its own loop, each call through the next silo
        // in turn. Once every run is PENDING the victim starts leaving and, at the same moment, the loops go on to RUNNING
        // and COMPLETED: those 96 proposals race the departure. A call that gets no answer (it went through or to the
        // leaving silo) is sent again through another silo with the same transition id, as the client does.
        var acknowledged = new ConcurrentBag<(Guid Run, Guid StateId, StateType Type)>();
        var gone = 0;
        var pending = 0;
        var unanswered = 0;
        var allPending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var drivers = runs.Select((id, index) => Task.Run(async () =>
        {
            var turn = index;
            foreach (var type in Lifecycle[1..])
            {
                var proposal = new ProposedState { Type = type, StateDetails = new StateDetails { TransitionId = Guid.NewGuid() } };
                while (true)
                {
                    var pool = Volatile.Read(ref gone) == 1 ? survivors : all;
                    try
                    {
                        // A call that was on its way when the victim went gets no answer and no error until the
                        // silo's response timeout (30 s): like a gateway (10 s), give up on it sooner and send it again.
                        var result = await pool[turn++ % pool.Length].FlowRun(id).SetStateAsync(proposal, force: false)
                            .WaitAsync(Runtime.ClientBuilderExtensions.ResponseTimeout);
                        if (result.Result.Status == OrchestrationStatus.Accept)
                        {
                            acknowledged.Add((id, result.Result.State!.Id, type));
                        }
                        else
                        {
                            // An earlier copy, whose answer was lost, applied it: the answer names that copy's state.
                            Assert.Equal((OrchestrationStatus.Reject, type, proposal.StateDetails.TransitionId),
                                (result.Result.Status, result.Result.State!.Type, result.Result.State.StateDetails.TransitionId));
                        }

                        break;
                    }
                    catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
                    {
                        // No answer: back off a moment (the cluster is changing) and send the same proposal again.
                        Interlocked.Increment(ref unanswered);
                        await Task.Delay(20);
                    }
                }

                if (type == StateType.Pending)
                {
                    if (Interlocked.Increment(ref pending) == runs.Count)
                    {
                        allPending.TrySetResult();
                    }

                    await go.Task;
                }
            }
        })).ToArray();

        await allPending.Task.WaitAsync(Deadline);
        var clock = Stopwatch.StartNew();
        var leaving = kill ? _cluster.Cluster.KillSiloAsync(victim) : _cluster.Cluster.StopSiloAsync(victim);
        go.SetResult();

        // Failover: how long until a run that lived on the victim answers through a survivor from an activation on a
        // survivor.
        var survivorAddresses = handles.Where(h => h != victim).Select(h => h.SiloAddress).ToHashSet();
        await Poll.UntilAsync(async () =>
        {
            try
            {
                var moved = survivors[0].FlowRun(victimRuns[0]);
                return await moved.GetCurrentAsync() is not null
                    && await survivors[0].Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(moved) is { } where
                    && survivorAddresses.Contains(where);
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                return false;
            }
        }, Deadline, "a run of the victim to answer through a survivor", TimeSpan.FromMilliseconds(10));
        var failover = clock.Elapsed;
        await leaving.WaitAsync(Deadline);
        var left = clock.Elapsed;
        Volatile.Write(ref gone, 1);
        await Task.WhenAll(drivers).WaitAsync(Deadline);
        var driven = clock.Elapsed;
        output.WriteLine($"{(kill ? "killed" : "stopped")} a silo holding {victimRuns.Count} of {runs.Count} runs: one of them answered from a " +
            $"survivor {failover.TotalMilliseconds:0} ms after the {(kill ? "kill" : "stop")} began, which took {left.TotalMilliseconds:0} ms; " +
            $"the drivers finished {driven.TotalMilliseconds:0} ms after it began; " +
            $"{unanswered} calls got no answer and were sent again; {acknowledged.Count} of {runs.Count * 3} transitions were answered " +
            "ACCEPT, the others REJECT naming the copy that applied them.");

        // The database holds each run's four states once each, every acknowledged state among them, and the run's row
        // points at the last one.
        foreach (var id in runs)
        {
            var history = await StateRowsAsync(id);
            Assert.Equal(Lifecycle, history.Select(s => s.Type));
            Assert.All(acknowledged.Where(a => a.Run == id), a => Assert.Single(history, s => s.Id == a.StateId && s.Type == a.Type));
            var run = await survivors[1].FlowRun(id).GetCurrentAsync();
            Assert.Equal((StateType.Completed, history[^1].Id), (run!.StateType, run.StateId));
        }

        // The victim's runs now live on the survivors, and the membership table says the victim is dead.
        Assert.Equal(survivorAddresses.Order(), _cluster.Silos.Select(s => s.SiloAddress).Order());
        foreach (var id in victimRuns)
        {
            var where = await PostgresTestCluster.Management(_cluster.Silos[0]).GetActivationAddress(survivors[0].FlowRun(id));
            Assert.Contains(where!, survivorAddresses);
        }

        await Poll.UntilAsync(async () => await MembershipStatusAsync(victim.SiloAddress) == (int)SiloStatus.Dead,
            Deadline, "the victim's row in OrleansMembershipTable to say Dead");
        await _cluster.WaitForMembershipAsync(Deadline);
    }

    private async Task<List<(Guid Id, StateType Type)>> StateRowsAsync(Guid runId)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, type FROM flow_run_states WHERE flow_run_id = @run ORDER BY timestamp, id", connection);
        command.Parameters.AddWithValue("run", runId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(Guid, StateType)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetGuid(0), Enum.Parse<StateType>(reader.GetString(1), ignoreCase: true)));
        }

        return rows;
    }

    private async Task<int?> MembershipStatusAsync(SiloAddress silo)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT Status FROM OrleansMembershipTable WHERE DeploymentId = @cluster AND Port = @port AND Generation = @generation", connection);
        command.Parameters.AddWithValue("cluster", _cluster.Cluster.Options.ClusterId);
        command.Parameters.AddWithValue("port", silo.Endpoint.Port);
        command.Parameters.AddWithValue("generation", silo.Generation);
        return await command.ExecuteScalarAsync() is int status ? status : null;
    }

    private static async Task<Guid> FlowAsync(OrleansFlowSilo silo, string name) =>
        (await new FlowCatalog(silo).UpsertAsync(name, [], default)).Flow.Id;

    private static async Task<Guid> NewRunAsync(OrleansFlowSilo silo, Guid flowId, string name)
    {
        var scheduled = new ProposedState
        {
            Type = StateType.Scheduled,
            StateDetails = new StateDetails { ScheduledTime = DateTimeOffset.UtcNow.AddSeconds(-1) },
        };
        var (run, created) = await silo.FlowRun(silo.NewId()).CreateAsync(new FlowRun { Id = Guid.Empty, Name = name, FlowId = flowId }, scheduled);
        Assert.True(created);
        return run.Id;
    }
}
