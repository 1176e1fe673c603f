using System.Text.Json;
using OrleansFlow.Grains.Flows;
using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.States;
using OrleansFlow.Grains.TaskRuns;
using OrleansFlow.Silo.ConcurrencyLimits;
using OrleansFlow.Silo.Flows;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;

namespace OrleansFlow.Silo.Tests.Conformance;

/// <summary>What every store must do, whatever the database: each test gets a fresh, empty database of its own and a
/// silo over it (more silos on the same database stand for more server nodes or processes). The subclasses only say
/// which database.</summary>
public abstract partial class StoreConformance : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly List<OrleansFlowSilo> _silos = [];

    protected ManualClock Clock { get; } = new(Start);

    /// <summary>The options of this test's database.</summary>
    protected DatabaseOptions Database { get; private set; } = null!;

    /// <summary>The first node.</summary>
    protected OrleansFlowSilo Silo { get; set; } = null!;

    protected FlowCatalog Flows => new(Silo);

    protected ConcurrencyLimitCatalog Limits => new(Silo);

    protected RunQueries Queries => new(Silo);

    protected abstract SqlDialect Dialect { get; }

    /// <summary>A new, empty database for one test.</summary>
    protected abstract Task<DatabaseOptions> NewDatabaseAsync();

    /// <summary>Frees what <see cref="NewDatabaseAsync"/> made, after every silo is disposed.</summary>
    protected abstract ValueTask DisposeDatabasesAsync();

    public async Task InitializeAsync()
    {
        Database = await NewDatabaseAsync();
        Silo = await StartNodeAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        await DisposeDatabasesAsync();
    }

    /// <summary>Another silo (a node, or a process) over <paramref name="database"/> (default this test's database),
    /// on the test's clock; disposed with the test.</summary>
    protected async Task<OrleansFlowSilo> StartNodeAsync(DatabaseOptions? database = null, SiloOptions? options = null)
    {
        var silo = await OrleansFlowSilo.StartAsync(database ?? Database, Clock, options ?? new SiloOptions { JitterSeed = 7 });
        lock (_silos)
        {
            _silos.Add(silo);
        }

        return silo;
    }

    /// <summary>Disposes a silo before the test ends (to reopen its database).</summary>
    protected async Task StopNodeAsync(OrleansFlowSilo silo)
    {
        lock (_silos)
        {
            _silos.Remove(silo);
        }

        await silo.DisposeAsync();
    }

    protected static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    protected static ProposedState Proposed(StateType type, string? name = null) => new() { Type = type, Name = name };

    protected static ProposedState Scheduled(DateTimeOffset at) =>
        new() { Type = StateType.Scheduled, StateDetails = new StateDetails { ScheduledTime = at } };

    protected async Task<Flow> NewFlowAsync(string name = "etl", params string[] tags) =>
        (await Flows.UpsertAsync(name, tags, default)).Flow;

    /// <summary>Creates a flow run (through <paramref name="node"/>, default the first silo).</summary>
    protected async Task<FlowRun> NewFlowRunAsync(Guid flowId, ProposedState? state = null, string name = "brave-fox",
        IReadOnlyList<string>? tags = null, string? idempotencyKey = null, OrleansFlowSilo? node = null)
    {
        node ??= Silo;
        var run = new FlowRun { Id = Guid.Empty, Name = name, FlowId = flowId, Tags = tags ?? [], IdempotencyKey = idempotencyKey };
        var (stored, created) = await node.FlowRun(node.NewId()).CreateAsync(run, state);
        Assert.True(created);
        return stored;
    }

    /// <summary>A flow run driven SCHEDULED → PENDING → RUNNING, one second of the clock between each.</summary>
    protected async Task<FlowRun> RunningFlowRunAsync(Guid? flowId = null, string name = "brave-fox", IReadOnlyList<string>? tags = null)
    {
        var run = await NewFlowRunAsync(flowId ?? (await NewFlowAsync()).Id, Scheduled(Clock.GetUtcNow()), name, tags);
        foreach (var type in new[] { StateType.Pending, StateType.Running })
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            var result = await Silo.FlowRun(run.Id).SetStateAsync(Proposed(type), force: false);
            Assert.Equal(Grains.Orchestration.OrchestrationStatus.Accept, result.Result.Status);
        }

        return (await Silo.FlowRun(run.Id).GetAsync())!;
    }

    protected async Task<TaskRun> NewTaskRunAsync(Guid flowRunId, string taskKey = "tasks.extract", string dynamicKey = "0",
        string name = "extract-0", IReadOnlyList<string>? tags = null, ProposedState? state = null, OrleansFlowSilo? node = null)
    {
        node ??= Silo;
        var run = new TaskRun { Id = Guid.Empty, Name = name, FlowRunId = flowRunId, TaskKey = taskKey, DynamicKey = dynamicKey, Tags = tags ?? [] };
        var (stored, created) = await node.TaskRun(node.NewId()).CreateAsync(run, state ?? Proposed(StateType.Pending));
        Assert.True(created);
        return stored;
    }

    /// <summary>Runs <paramref name="count"/> calls at once: all are released together by a gate.</summary>
    protected static async Task<T[]> AllAtOnceAsync<T>(int count, Func<int, Task<T>> call)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            return await call(i);
        })).ToArray();
        gate.SetResult();
        return await Task.WhenAll(calls);
    }
}
