namespace OrleansFlow;

/// <summary>How <see cref="FlowServer"/> (and <see cref="Flows.ServeAsync(ServeOptions, CancellationToken, Deployment[])"/>)
/// serves its deployments.</summary>
public sealed class ServeOptions
{
    /// <summary>The most runs this process runs at once; null (the default) is no limit.</summary>
    public int? Limit { get; init; }

    /// <summary>The work pool the served deployments are registered in (created when missing). Each deployment gets its own
    /// queue in it (<c>flow-name:deployment-name</c>), so processes serving other deployments never take its runs.</summary>
    public string WorkPool { get; init; } = "serve";

    /// <summary>The name this process polls and heartbeats as; default <c>serve-{machine}-{pid}</c>.</summary>
    public string? Name { get; init; }

    /// <summary>How long one poll waits on the server for a due run (at most 20 s, below the 30 s claim). Default 10 s.</summary>
    public TimeSpan PollWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often running runs are checked for cancellation (CANCELLING). Default 1 s.</summary>
    public TimeSpan CancellationCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the pool gets this process's worker heartbeat (its status READY). Default 30 s. (The flow engine sends each
    /// run's heartbeats.)</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>On stop, how long runs in flight may go on before they are cancelled (they end CANCELLED). Default 30 s.</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Where the server writes what it does (registrations, runs taken, cancellations); default nowhere.</summary>
    public TextWriter? Log { get; init; }
}
