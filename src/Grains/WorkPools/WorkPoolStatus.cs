namespace OrleansFlow.Grains.WorkPools;

/// <summary>How pool, queue and worker statuses follow from pauses and heartbeats. Pure: the caller passes the time.</summary>
public static class WorkPoolStatus
{
    /// <summary>How long after its last heartbeat a worker counts as offline (Prefect's default: 90 s).</summary>
    public static readonly TimeSpan WorkerOfflineAfter = TimeSpan.FromSeconds(90);

    /// <summary>How long after its last poll a queue counts as not ready (Prefect's default: 60 s).</summary>
    public static readonly TimeSpan QueueNotReadyAfter = TimeSpan.FromSeconds(60);

    /// <summary>The states of runs that hold a place under a queue or pool concurrency limit.</summary>
    public static readonly IReadOnlyList<string> ActiveStateTypes = ["PENDING", "RUNNING", "CANCELLING"];

    /// <summary>PAUSED when paused, READY when a worker's heartbeat is recent, else NOT_READY.</summary>
    public static string Pool(bool isPaused, DateTimeOffset? lastHeartbeat, DateTimeOffset now) =>
        isPaused ? "PAUSED" : lastHeartbeat is { } beat && now - beat < WorkerOfflineAfter ? "READY" : "NOT_READY";

    /// <summary>PAUSED when the queue or its pool is paused, READY when polled recently, else NOT_READY.</summary>
    public static string Queue(bool isPaused, DateTimeOffset? lastPolled, DateTimeOffset now) =>
        isPaused ? "PAUSED" : lastPolled is { } polled && now - polled < QueueNotReadyAfter ? "READY" : "NOT_READY";

    /// <summary>ONLINE when the worker's heartbeat is recent, else OFFLINE: a worker that said its heartbeat interval
    /// (Prefect 2.13+) is offline after three intervals without one, any other after <see cref="WorkerOfflineAfter"/>.</summary>
    public static string Worker(DateTimeOffset lastHeartbeat, DateTimeOffset now, int? heartbeatIntervalSeconds = null) =>
        now - lastHeartbeat < (heartbeatIntervalSeconds is { } seconds && seconds > 0 ? TimeSpan.FromSeconds(seconds * 3.0) : WorkerOfflineAfter) ? "ONLINE" : "OFFLINE";

    /// <summary>How many more runs a limit admits given <paramref name="active"/> ones; null limit admits any number.</summary>
    public static int Remaining(int? limit, int active, int wanted) =>
        limit is { } max ? Math.Clamp(max - active, 0, wanted) : wanted;
}
