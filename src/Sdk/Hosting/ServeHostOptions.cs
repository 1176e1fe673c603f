namespace OrleansFlow.Hosting;

/// <summary>Settings of the serve hosted service (<see cref="ServeServiceCollectionExtensions.AddOrleansFlowServe"/>),
/// bindable from configuration (e.g. the <c>OrleansFlow:Serve</c> section).</summary>
public sealed class ServeHostOptions
{
    /// <summary>The server's API root; null uses <c>ORLEANSFLOW_API_URL</c>, else ephemeral mode (an in-process server).</summary>
    public string? ApiUrl { get; set; }

    /// <summary>The work pool the deployments go to. Default <c>serve</c>.</summary>
    public string WorkPool { get; set; } = "serve";

    /// <summary>At most this many runs at once; null (default) means no limit.</summary>
    public int? Limit { get; set; }

    /// <summary>The name the process heartbeats under; null for one made from the machine and process.</summary>
    public string? Name { get; set; }

    /// <summary>How long one long poll waits on the server. Default 10 s.</summary>
    public TimeSpan PollWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long stopping waits for the runs in flight before cancelling them. Default 30 s.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(30);
}
