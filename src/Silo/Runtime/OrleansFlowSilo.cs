using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.TaskRuns;
using OrleansFlow.Silo.FlowRuns;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Silo.TaskRuns;

namespace OrleansFlow.Silo.Runtime;

/// <summary>The grain runtime of one process: hands out grain references over one database. It is the single hosting
/// entry point of the Silo: the server and the SDK's ephemeral mode both create one.</summary>
public sealed class OrleansFlowSilo : IAsyncDisposable
{
    private readonly Random _jitter;
    private readonly Lock _jitterLock = new();
    private readonly IdGenerator _ids;

    private OrleansFlowSilo(Database database, TimeProvider clock, SiloOptions options)
    {
        Database = database;
        Clock = clock;
        Options = options;
        _ids = new IdGenerator(clock);
        FlowRunStates = new ActivationCache<Grains.FlowRuns.FlowRun>(clock, options.ActivationTimeToLive, options.ActivationCapacity);
        TaskRunStates = new ActivationCache<Grains.TaskRuns.TaskRun>(clock, options.ActivationTimeToLive, options.ActivationCapacity);
        _jitter = options.JitterSeed is { } seed ? new Random(seed) : new Random();
    }

    /// <summary>The database the grains persist to.</summary>
    public Database Database { get; }

    /// <summary>The clock every grain and background process reads.</summary>
    public TimeProvider Clock { get; }

    /// <summary>The runtime's settings.</summary>
    public SiloOptions Options { get; }

    internal KeyedTurns Turns { get; } = new();

    internal ActivationCache<Grains.FlowRuns.FlowRun> FlowRunStates { get; }

    /// <summary>Flows known to exist, so that creating a run checks its flow once per process.</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<Guid, byte> KnownFlows { get; } = new();

    internal ActivationCache<Grains.TaskRuns.TaskRun> TaskRunStates { get; }

    /// <summary>Opens the database (migrating it) and starts a runtime over it.</summary>
    public static async Task<OrleansFlowSilo> StartAsync(DatabaseOptions databaseOptions, TimeProvider? clock = null,
        SiloOptions? options = null, CancellationToken cancellationToken = default)
    {
        var database = await Database.OpenAsync(databaseOptions, cancellationToken).ConfigureAwait(false);
        return new OrleansFlowSilo(database, clock ?? TimeProvider.System, options ?? new SiloOptions());
    }

    /// <summary>The flow-run grain with key <paramref name="id"/> (it need not exist yet).</summary>
    public IFlowRunGrain FlowRun(Guid id) => new FlowRunGrain(id, this);

    /// <summary>The task-run grain with key <paramref name="id"/> (it need not exist yet).</summary>
    public ITaskRunGrain TaskRun(Guid id) => new TaskRunGrain(id, this);

    /// <summary>A new time-ordered id (UUIDv7), strictly increasing within this process.</summary>
    public Guid NewId() => _ids.Next();

    internal double NextJitterSample()
    {
        lock (_jitterLock)
        {
            return _jitter.NextDouble();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
