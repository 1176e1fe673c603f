using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansFlow.Grains.ConcurrencyLimits;
using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.Hosting;
using OrleansFlow.Grains.TaskRuns;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Runtime;

/// <summary>The grain runtime of one process: a Microsoft Orleans silo over one database, and the services its grains
/// share (the database, the clock, ids). It is the single hosting entry point of the Silo: the server and the SDK's
/// ephemeral mode both start one.</summary>
public sealed class OrleansFlowSilo : IGrainServices, IAsyncDisposable
{
    private readonly Random _jitter;
    private readonly Lock _jitterLock = new();
    private readonly IdGenerator _ids;
    private IHost? _host;
    private IGrainFactory? _grains;
    private int _clientSenderBuckets;
    private ClientBucketIds? _clientBuckets;
    private ConcurrencySlots? _slots;

    private OrleansFlowSilo(Database database, TimeProvider clock, SiloOptions options)
    {
        Database = database;
        Clock = clock;
        Options = options;
        _ids = new IdGenerator(clock);
        RunResources = new Events.RunResourceCache(clock);
        _jitter = options.JitterSeed is { } seed ? new Random(seed) : new Random();
    }

    /// <summary>The database the grains persist to.</summary>
    public Database Database { get; }

    /// <summary>The clock every grain and background process reads.</summary>
    public TimeProvider Clock { get; }

    /// <summary>The runtime's settings.</summary>
    public SiloOptions Options { get; }

    /// <summary>The Orleans grain factory of the silo hosting this runtime.</summary>
    public IGrainFactory Grains => _grains ?? throw new InvalidOperationException("The runtime is not attached to a silo.");

    IGrainDatabase IGrainServices.Database => Database;

    IGrainSettings IGrainServices.Settings => Options;

    /// <summary>The related resources of runs' state-change events, read once per run.</summary>
    internal Events.RunResourceCache RunResources { get; }

    /// <summary>Task runs' tag concurrency slots, through the limits' grains (once attached to a silo).</summary>
    internal ConcurrencySlots Slots => _slots ??= new ConcurrencySlots(Grains, Database, new ConcurrencyLimits.ConcurrencyLimitGrainStore());

    /// <summary>Flows known to exist, so that creating a run checks its flow once per process.</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<Guid, byte> KnownFlows { get; } = new();

    /// <summary>Opens the database (migrating it) and starts an Orleans silo of its own over it: a runtime for a process
    /// that hosts nothing else (tests, tools). The server hosts the silo in its web application instead (<see
    /// cref="OpenAsync"/>).</summary>
    public static async Task<OrleansFlowSilo> StartAsync(DatabaseOptions databaseOptions, TimeProvider? clock = null,
        SiloOptions? options = null, CancellationToken cancellationToken = default)
    {
        var silo = await OpenAsync(databaseOptions, clock, options, cancellationToken).ConfigureAwait(false);
        try
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.UseOrleans(orleans => orleans.AddOrleansFlowGrains(silo));
            var host = builder.Build();
            silo.Attach(host.Services);
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            silo._host = host;
        }
        catch
        {
            await silo.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return silo;
    }

    /// <summary>Opens the database (migrating it) for a silo that the caller hosts: add it to an Orleans silo with
    /// <see cref="SiloBuilderExtensions.AddOrleansFlowGrains"/>, then call <see cref="Attach"/> with the built host's
    /// services before the host starts.</summary>
    public static async Task<OrleansFlowSilo> OpenAsync(DatabaseOptions databaseOptions, TimeProvider? clock = null,
        SiloOptions? options = null, CancellationToken cancellationToken = default)
    {
        var database = await Database.OpenAsync(databaseOptions, cancellationToken).ConfigureAwait(false);
        var silo = new OrleansFlowSilo(database, clock ?? TimeProvider.System, options ?? new SiloOptions());
        try
        {
            // Secrets stored in clear or under a previous key are sealed with the current key before anything is served.
            await new Blocks.BlockDocumentCatalog(silo).SealStoredSecretsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return silo;
    }

    /// <summary>Binds this runtime to the Orleans silo hosted by <paramref name="services"/> (its grain factory).</summary>
    public void Attach(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _grains = services.GetRequiredService<IGrainFactory>();
        _clientSenderBuckets = services.GetService<Orleans.Runtime.ILocalSiloDetails>() is null
            ? services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Orleans.Configuration.ClientMessagingOptions>>().Value.ClientSenderBuckets
            : 0;
    }

    /// <summary>The flow-run grain with key <paramref name="id"/> (it need not exist yet).</summary>
    public IFlowRunGrain FlowRun(Guid id) => Grains.FlowRun(id);

    /// <summary>The task-run grain with key <paramref name="id"/> (it need not exist yet).</summary>
    public ITaskRunGrain TaskRun(Guid id) => Grains.TaskRun(id);

    /// <summary>The deployment grain of the deployment with id <paramref name="id"/> (its schedule reminder).</summary>
    public Grains.Deployments.IDeploymentGrain Deployment(Guid id) => Grains.GetGrain<Grains.Deployments.IDeploymentGrain>(id);

    /// <summary>The grain of the tag concurrency limit of <paramref name="tag"/> (the tag need not have a limit).</summary>
    public Grains.ConcurrencyLimits.IConcurrencyLimitGrain ConcurrencyLimit(string tag) => Grains.ConcurrencyLimit(tag);

    /// <summary>The work-pool grain of the pool with id <paramref name="id"/>.</summary>
    public Grains.WorkPools.IWorkPoolGrain WorkPool(Guid id) => Grains.WorkPool(id);

    /// <summary>The cluster's housekeeper grain (late runs, expired claims, old heartbeats).</summary>
    public Grains.Housekeeping.IHousekeeperGrain Housekeeper => Grains.GetGrain<Grains.Housekeeping.IHousekeeperGrain>(0);

    /// <summary>A new time-ordered id (UUIDv7), strictly increasing within this process.</summary>
    public Guid NewId() => _ids.Next();

    /// <summary>A new id for a task run of flow run <paramref name="flowRunId"/>: <see cref="NewId"/>, which in a process
    /// that reaches the silos as a client (the gateway tier) is chosen so that the client sends the task run's calls
    /// through its flow run's silo (<see cref="ClientBucketIds"/>).</summary>
    public Guid NewTaskRunId(Guid flowRunId) => ClientBuckets() is { } buckets ? buckets.For(flowRunId, _ids.Next()) : _ids.Next();

    /// <summary>The client's buckets, once the client knows the run grains' types (from the cluster's manifest, after it
    /// connected); null in a silo, or before.</summary>
    private ClientBucketIds? ClientBuckets()
    {
        if (_clientBuckets is not null || _clientSenderBuckets <= 1)
        {
            return _clientBuckets;
        }

        try
        {
            return _clientBuckets = new ClientBucketIds(((GrainReference)(object)FlowRun(Guid.Empty)).GrainId.Type,
                ((GrainReference)(object)TaskRun(Guid.Empty)).GrainId.Type, _clientSenderBuckets);
        }
        catch (ArgumentException)
        {
            // No silo has told the client the grain types yet.
            return null;
        }
    }

    double IGrainServices.NextJitterSample()
    {
        lock (_jitterLock)
        {
            return _jitter.NextDouble();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_host is { } host)
        {
            _host = null;
            try
            {
                await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                host.Dispose();
            }
        }

        await Database.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A TCP port on the loopback interface that is free now.</summary>
    internal static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
