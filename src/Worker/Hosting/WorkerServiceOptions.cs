namespace OrleansFlow.Worker.Hosting;

/// <summary>Settings of the worker hosted service (<see cref="WorkerServiceCollectionExtensions.AddOrleansFlowWorker"/>),
/// bindable from configuration (e.g. the <c>OrleansFlow:Worker</c> section).</summary>
public sealed class WorkerServiceOptions
{
    /// <summary>The work pool to take runs from (required: the service fails to start without it).</summary>
    public string? Pool { get; set; }

    /// <summary>The pool's queues to take runs from; empty (default) means all of them.</summary>
    public List<string> Queues { get; set; } = [];

    /// <summary>At most this many runs at once; null (default) means no limit.</summary>
    public int? Limit { get; set; }

    /// <summary>The API root; null uses <c>ORLEANSFLOW_API_URL</c>, else <c>http://127.0.0.1:4200/api</c>.</summary>
    public string? ApiUrl { get; set; }

    /// <summary>The API key (bind <c>OrleansFlow:Worker:ApiKey</c>); null uses <c>ORLEANSFLOW_API_KEY</c>, else
    /// <c>PREFECT_API_KEY</c>, else none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The name the worker heartbeats under; null for one made from the machine and process.</summary>
    public string? Name { get; set; }

    /// <summary>How long an empty poll waits on the server. Default 10 s.</summary>
    public TimeSpan PollWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time between two checks of the started runs. Default 2 s.</summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Time between two heartbeats. Default 30 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The worker's settings.</summary>
    /// <exception cref="InvalidOperationException">No pool is set, or the API URL is not an absolute URL.</exception>
    internal WorkerOptions ToWorkerOptions()
    {
        if (string.IsNullOrWhiteSpace(Pool))
        {
            throw new InvalidOperationException("OrleansFlow worker: set the work pool (OrleansFlow:Worker:Pool, or Pool in AddOrleansFlowWorker).");
        }

        var url = ApiUrl is { Length: > 0 } configured
            ? Uri.TryCreate(configured, UriKind.Absolute, out var parsed) ? parsed : throw new InvalidOperationException($"OrleansFlow worker: the API URL '{configured}' is not an absolute URL.")
            : WorkerOptions.ApiUrlFromEnvironment();
        return new WorkerOptions
        {
            Pool = Pool,
            Queues = Queues,
            Limit = Limit,
            ApiUrl = url,
            ApiKey = ApiKey is { Length: > 0 } key ? key : Client.OrleansFlowClientOptions.DefaultApiKey(),
            Name = Name is { Length: > 0 } name ? name : $"ProcessWorker {Environment.MachineName} {Environment.ProcessId}",
            PollWait = PollWait,
            WatchInterval = WatchInterval,
            HeartbeatInterval = HeartbeatInterval,
        };
    }
}
