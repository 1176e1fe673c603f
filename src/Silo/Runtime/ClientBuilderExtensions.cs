using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Serialization;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Runtime;

/// <summary>Configures an Orleans client that reaches OrleansFlow's grains in a silo cluster: the gateway tier
/// (<c>orleansflow gateway start</c>) serves the HTTP API and the UI from such a client and hosts no grain.</summary>
public static class ClientBuilderExtensions
{
    /// <summary>Makes <paramref name="builder"/> a client of the cluster kept in the runtime's PostgreSQL database
    /// (Microsoft.Orleans.Clustering.AdoNet, the tables of migration <c>0010_orleans_clustering</c>): it connects to the
    /// silos that opened a client gateway (<see cref="SiloOptions.GatewayPort"/>) and reads the table again every
    /// <see cref="GatewayListRefresh"/>, so a silo that joins or leaves is used or dropped within seconds. A call whose
    /// silo died before answering is sent again when its method is <see cref="Grains.IdempotentAttribute"/>.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="runtime">The runtime whose database and cluster settings the client uses.</param>
    /// <exception cref="InvalidOperationException">The database is not PostgreSQL: an embedded SQLite silo is a cluster of
    /// its own that no other process can join.</exception>
    public static IClientBuilder AddOrleansFlowClient(this IClientBuilder builder, OrleansFlowSilo runtime)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(runtime);
        runtime.Options.Validate();
        if (runtime.Database is not PostgresDatabase postgres)
        {
            throw new InvalidOperationException(PostgresRequired);
        }

        builder.UseAdoNetClustering(clustering =>
        {
            clustering.Invariant = SiloBuilderExtensions.PostgresInvariant;
            clustering.ConnectionString = SiloBuilderExtensions.SmallPool(postgres.ConnectionString, "orleansflow-gateway-membership");
        });
        builder.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = runtime.Options.ClusterId;
            cluster.ServiceId = runtime.Options.ServiceId;
        });
        builder.Configure<GatewayOptions>(gateways => gateways.GatewayListRefreshPeriod = GatewayListRefresh);
        builder.Configure<ClientMessagingOptions>(messaging =>
        {
            messaging.ResponseTimeout = ResponseTimeout;
            messaging.ClientSenderBuckets = SenderBuckets;
        });
        // A gateway may start before any silo (a pod scheduled first, a cluster restarting): it keeps trying to connect
        // until its host's start is cancelled, instead of failing the process.
        builder.UseConnectionRetryFilter(async (_, cancellationToken) =>
        {
            await Task.Delay(ConnectRetryDelay, cancellationToken).ConfigureAwait(false);
            return true;
        });
        builder.AddActivityPropagation();

        // A call that a dead silo never answered is sent again, when repeating it is harmless, so the gateway's requests
        // survive a silo's death (a silo that stops gracefully hands its calls over by itself).
        builder.AddOutgoingGrainCallFilter<RetryAfterSiloLossFilter>();
        builder.Services.AddSerializer(serializer => serializer.AddJsonSerializer(isSupported: _ => false));
        builder.Services.AddSingleton(runtime);
        return builder;
    }

    /// <summary>Why a gateway on SQLite cannot start: an embedded silo is a cluster of its own.</summary>
    internal const string PostgresRequired =
        "A gateway joins a silo cluster kept in PostgreSQL: set ORLEANSFLOW_DATABASE_URL to the cluster's postgresql:// URL (on SQLite, run `orleansflow server start`).";

    /// <summary>How often a client reads the membership table for the silos it may connect to: 5 s (Orleans' default
    /// is a minute, too slow to follow a rolling restart).</summary>
    public static readonly TimeSpan GatewayListRefresh = TimeSpan.FromSeconds(5);

    /// <summary>How long a gateway waits for a grain call's answer: 10 s (Orleans: 30 s). A call that was on its way to a
    /// silo when it was killed gets no answer and no error; it times out, and is sent again if it may be
    /// (<see cref="RetryAfterSiloLossFilter"/>). The longest call OrleansFlow makes on purpose, a worker's long poll on its
    /// pool's grain, waits at most 5 s per call.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How many buckets a gateway's client sorts grain calls into, each bucket sent through one silo: 64 (Orleans:
    /// 8,192), still 20 per silo for three silos. Few buckets make a task-run id in its flow run's bucket cheap to draw
    /// (<see cref="OrleansFlowSilo.NewTaskRunId"/>: about 64 hashes instead of 8,192).</summary>
    public const int SenderBuckets = 64;

    /// <summary>How long a client that found no silo to connect to waits before it tries again: 1 s.</summary>
    public static readonly TimeSpan ConnectRetryDelay = TimeSpan.FromSeconds(1);
}
