namespace OrleansFlow.Worker;

/// <summary>Settings of one process worker.</summary>
public sealed class WorkerOptions
{
    /// <summary>The API root used when neither <c>--api</c> nor <c>ORLEANSFLOW_API_URL</c> gives one.</summary>
    public const string DefaultApiUrl = "http://127.0.0.1:4200/api";

    /// <summary>The work pool to take runs from (required).</summary>
    public required string Pool { get; init; }

    /// <summary>The pool's queues to take runs from; empty means all of them.</summary>
    public IReadOnlyList<string> Queues { get; init; } = [];

    /// <summary>At most this many runs at once; null means no limit.</summary>
    public int? Limit { get; init; }

    /// <summary>The API root, e.g. <c>http://127.0.0.1:4200/api</c>.</summary>
    public Uri ApiUrl { get; init; } = new(DefaultApiUrl);

    /// <summary>The API key the worker sends as a bearer token and hands to the runs it starts (as <c>ORLEANSFLOW_API_KEY</c>
    /// and <c>PREFECT_API_KEY</c>); default <c>ORLEANSFLOW_API_KEY</c>, else <c>PREFECT_API_KEY</c>, else none.</summary>
    public string? ApiKey { get; init; } = Client.OrleansFlowClientOptions.DefaultApiKey();

    /// <summary>The name the worker heartbeats under.</summary>
    public string Name { get; init; } = $"ProcessWorker {Environment.MachineName} {Environment.ProcessId}";

    /// <summary>Time between two heartbeats: 30 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an empty poll waits on the server for a run (the long-poll extension), which is also how far ahead
    /// it takes scheduled runs (started at their time): 10 s, well within the server's 30 s claims.</summary>
    public TimeSpan PollWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time between two checks of the started runs (exit, cancellation): 2 s.</summary>
    public TimeSpan WatchInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The API root from <c>ORLEANSFLOW_API_URL</c>, else <see cref="DefaultApiUrl"/>.</summary>
    public static Uri ApiUrlFromEnvironment() =>
        new(Environment.GetEnvironmentVariable("ORLEANSFLOW_API_URL") is { Length: > 0 } url ? url : DefaultApiUrl);
}
