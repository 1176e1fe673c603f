using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using OrleansFlow.Grains.Automations;
using OrleansFlow.Grains.ConcurrencyLimits;
using OrleansFlow.Grains.Deployments;
using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.Hosting;
using OrleansFlow.Grains.Housekeeping;
using OrleansFlow.Grains.TaskRuns;
using OrleansFlow.Grains.WorkPools;
using OrleansFlow.Silo.Automations;
using OrleansFlow.Silo.Deployments;
using OrleansFlow.Silo.Events;
using OrleansFlow.Silo.Notifications;
using OrleansFlow.Silo.Reminders;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Runtime;

/// <summary>Configures an Orleans silo to host OrleansFlow's grains.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>The ADO.NET invariant name of Npgsql, which Orleans' ADO.NET providers load PostgreSQL connections by.</summary>
    public const string PostgresInvariant = "Npgsql";

    /// <summary>How many grain addresses each silo's grain-directory cache keeps (least recently used go first): 100,000.
    /// </summary>
    public const int DirectoryCacheSize = 100_000;

    /// <summary>Adds OrleansFlow's grains and their services to <paramref name="builder"/>. On SQLite the silo is a
    /// cluster of its own on the loopback interface (localhost clustering: the embedded server and the SDK's ephemeral
    /// mode). On PostgreSQL it joins the cluster kept in that database (<see cref="UsePostgresClustering"/>), so every
    /// process on one database is a silo of one cluster, and opens a client gateway when <see cref="SiloOptions.GatewayPort"/>
    /// is set (for <c>orleansflow gateway start</c> processes). Orleans reminders (the
    /// deployments' schedules) are kept in the same database: in <c>OrleansRemindersTable</c> through
    /// Microsoft.Orleans.Reminders.AdoNet on PostgreSQL, in <c>orleans_reminders</c> through
    /// <see cref="SqliteReminderTable"/> on SQLite; <see cref="SiloOptions.SchedulePeriod"/> is their minimum period.
    /// When the silo becomes active, every scheduled deployment is given its reminder (<see cref="DeploymentReminderBootstrap"/>).</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="silo">The runtime whose database, clock and options the grains use.</param>
    /// <exception cref="InvalidOperationException">A cluster setting in <see cref="OrleansFlowSilo.Options"/> is not valid.</exception>
    public static ISiloBuilder AddOrleansFlowGrains(this ISiloBuilder builder, OrleansFlowSilo silo)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(silo);
        silo.Options.Validate();
        if (silo.Database is PostgresDatabase postgres)
        {
            builder.UsePostgresClustering(postgres.ConnectionString, silo.Options);
            builder.UsePostgresReminders(postgres.ConnectionString);
        }
        else
        {
            builder.UseLocalhostClustering(siloPort: OrleansFlowSilo.FreeLoopbackPort(), gatewayPort: 0,
                serviceId: silo.Options.ServiceId, clusterId: "orleansflow-" + Guid.NewGuid().ToString("N"));
            builder.AddReminders();
            builder.Services.AddSingleton<IReminderTable, SqliteReminderTable>();
        }

        builder.Configure<ReminderOptions>(reminders => reminders.MinimumReminderPeriod = silo.Options.SchedulePeriod);
        builder.Services.AddSingleton<DeploymentReminderBootstrap>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<DeploymentReminderBootstrap>());

        // Grain calls carry the caller's trace (W3C trace context) and make spans, when something listens (OpenTelemetry).
        builder.AddActivityPropagation();
        builder.Services.AddSingleton(silo);
        builder.Services.AddOrleansFlowGrainStores(silo);
        // The automation dispatcher reads the events the grains store.
        builder.Services.AddSingleton<IAutomationEventSource>(new EventStoreAutomationSource(new EventStore(silo.Database, silo.Clock)));
        builder.Services.AddOrleansFlowNotifications();
        builder.Services.AddSerializer(serializer => serializer.AddJsonSerializer(isSupported: _ => false));
        builder.Configure<GrainCollectionOptions>(collection =>
        {
            collection.CollectionAge = silo.Options.ActivationCollectionAge;
            collection.CollectionQuantum = TimeSpan.FromSeconds(Math.Clamp(silo.Options.ActivationCollectionAge.TotalSeconds / 4, 1, 60));
        });

        // The grain directory caches the address of every grain it has looked up (Orleans: up to 1,000,000 entries), and
        // an entry outlives its activation: with one run grain per run that is a few hundred bytes per run ever called.
        // A run is called in a burst and then rarely again, so recent addresses are all the cache needs.
        builder.Configure<GrainDirectoryOptions>(directory => directory.CacheSize = DirectoryCacheSize);
        return builder;
    }

    /// <summary>Registers what the grains take in their constructors (<see cref="IGrainServices"/> and the store
    /// interfaces declared next to the grains), implemented over <paramref name="silo"/>'s database.</summary>
    private static void AddOrleansFlowGrainStores(this IServiceCollection services, OrleansFlowSilo silo)
    {
        services.AddSingleton<IGrainServices>(silo);
        services.AddSingleton<IFlowRunStore>(new FlowRuns.FlowRunGrainStore(silo));
        services.AddSingleton<ITaskRunStore, TaskRuns.TaskRunGrainStore>();
        services.AddSingleton<IConcurrencyLimitStore, ConcurrencyLimits.ConcurrencyLimitGrainStore>();
        services.AddSingleton<IWorkPoolStore>(new WorkPools.WorkPoolGrainStore(silo));
        services.AddSingleton(_ => silo.Slots);
        services.AddSingleton<IDeploymentStore>(new Deployments.DeploymentGrainStore(silo));
        services.AddSingleton<IHousekeepingStore>(new Background.HousekeepingGrainStore(silo));
        services.AddSingleton<IAutomationStore>(provider => new AutomationGrainStore(silo, provider.GetRequiredService<NotificationSender>()));
        services.AddSingleton<IAutomationEventDispatcherFactory>(provider => new AutomationEventDispatcherFactory(silo, provider));
        services.AddSingleton<Grains.Notifications.IFlowRunNotificationOutbox>(provider => new FlowRunNotifications.FlowRunNotificationOutbox(silo,
            provider.GetRequiredService<NotificationSender>(), provider.GetRequiredService<ILogger<FlowRunNotifications.FlowRunNotificationOutbox>>()));
    }

    /// <summary>Keeps the silo's Orleans reminders in a PostgreSQL database (Microsoft.Orleans.Reminders.AdoNet, over the
    /// table and statements of migration <c>0011_orleans_reminders</c>), on a small connection pool of their own.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="connectionString">The Npgsql connection string of the database (the one OrleansFlow stores in).</param>
    public static ISiloBuilder UsePostgresReminders(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connectionString);
        return builder.UseAdoNetReminderService(reminders =>
        {
            reminders.Invariant = PostgresInvariant;
            reminders.ConnectionString = SmallPool(connectionString, "orleansflow-reminders");
        });
    }

    /// <summary><paramref name="connectionString"/> for a small pool of its own (at most 4 connections, none kept idle)
    /// under <paramref name="applicationName"/>: Orleans' membership and reminders, so that a busy grain pool never delays
    /// a heartbeat, a vote or a reminder.</summary>
    internal static string SmallPool(string connectionString, string applicationName) =>
        new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 4, MinPoolSize = 0, ApplicationName = applicationName }.ConnectionString;

    /// <summary>Makes the silo a member of the cluster kept in a PostgreSQL database (Microsoft.Orleans.Clustering.AdoNet,
    /// over the tables of migration <c>0010_orleans_clustering</c>): cluster and service ids, the silo's port and the
    /// address it is reached at come from <paramref name="options"/>, and the membership protocol is tuned so that a
    /// silo that stops answering is voted dead within a few seconds (<see cref="SiloOptions.ProbeTimeout"/> ×
    /// <see cref="SiloOptions.MissedProbesLimit"/>, plus a probe round), after which its grains activate on the
    /// survivors at their next call.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="connectionString">The Npgsql connection string of the database (the one OrleansFlow stores in).</param>
    /// <param name="options">The cluster settings.</param>
    /// <exception cref="InvalidOperationException">A setting in <paramref name="options"/> is not valid.</exception>
    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder builder, string connectionString, SiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        // Membership keeps a small pool of its own, so that a busy grain pool never delays a vote or a heartbeat.
        builder.UseAdoNetClustering(clustering =>
        {
            clustering.Invariant = PostgresInvariant;
            clustering.ConnectionString = SmallPool(connectionString, "orleansflow-membership");
        });
        builder.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ServiceId;
        });

        // In a Kubernetes pod with no address set, Orleans' Kubernetes hosting advertises the pod's (POD_IP).
        var advertised = options.AdvertisedAddress is { } address ? IPAddress.Parse(address) : options.Kubernetes ? null : IPAddress.Loopback;
        var listen = advertised is not null && IPAddress.IsLoopback(advertised) ? advertised : IPAddress.Any;
        var port = options.SiloPort != 0 ? options.SiloPort : OrleansFlowSilo.FreeLoopbackPort();
        builder.Configure<EndpointOptions>(endpoints =>
        {
            if (advertised is not null)
            {
                endpoints.AdvertisedIPAddress = advertised;
            }

            endpoints.SiloPort = port;
            endpoints.GatewayPort = options.GatewayPort;
            endpoints.SiloListeningEndpoint = new IPEndPoint(listen, port);
            if (options.GatewayPort != 0)
            {
                endpoints.GatewayListeningEndpoint = new IPEndPoint(listen, options.GatewayPort);
            }
        });

        builder.Configure<ClusterMembershipOptions>(membership =>
        {
            membership.ProbeTimeout = options.ProbeTimeout;
            membership.NumMissedProbesLimit = options.MissedProbesLimit;

            // Suspicions are kept about as long as a detection takes, and the table is read again often enough that
            // a silo that missed the gossip still learns of a death (or a join) within seconds.
            membership.DeathVoteExpirationTimeout = options.ProbeTimeout * Math.Max(options.MissedProbesLimit * 4, 8);
            membership.TableRefreshTimeout = TimeSpan.FromSeconds(5);

            // Heartbeats in the table every 5 s: a row that has none for 15 s belongs to a silo that is gone.
            membership.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            membership.NumMissedTableIAmAliveLimit = 3;
        });
        return builder;
    }
}
