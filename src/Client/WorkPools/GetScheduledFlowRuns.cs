namespace OrleansFlow.Client;

/// <summary>Body of <c>POST /api/work_pools/{name}/get_scheduled_flow_runs</c>: claims the pool's due runs for a worker,
/// with OrleansFlow's long-poll extension (<see cref="WaitSeconds"/>). Build it with <see cref="For"/>, which every
/// worker and the serve loop share, so the wait cap and the queue list are handled one way.</summary>
public sealed record GetScheduledFlowRuns
{
    /// <summary>The longest wait the server honours, in seconds; a longer one is cut to it.</summary>
    public const double MaxWaitSeconds = 60;

    /// <summary>The queues to take from; null (not sent) means every queue of the pool.</summary>
    public IReadOnlyList<string>? WorkQueueNames { get; init; }

    /// <summary>Only runs due before this time.</summary>
    public DateTimeOffset? ScheduledBefore { get; init; }

    /// <summary>Accepted as Prefect's clients send it; the server ignores it.</summary>
    public DateTimeOffset? ScheduledAfter { get; init; }

    /// <summary>At most this many runs; null for the server's default.</summary>
    public int? Limit { get; init; }

    /// <summary>The worker asking (recorded on the claims).</summary>
    public string? WorkerName { get; init; }

    /// <summary>When no run is due, wait up to this many seconds on the server for one (at most <see cref="MaxWaitSeconds"/>).</summary>
    public double? WaitSeconds { get; init; }

    /// <summary>The request for runs due within <paramref name="wait"/> of <paramref name="now"/>, waiting up to
    /// <paramref name="wait"/> (capped at <see cref="MaxWaitSeconds"/>) while there are none. An empty
    /// <paramref name="queues"/> asks for every queue.</summary>
    public static GetScheduledFlowRuns For(IReadOnlyList<string> queues, int? limit, TimeSpan wait, string worker, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(queues);
        var seconds = Math.Clamp(wait.TotalSeconds, 0, MaxWaitSeconds);
        return new GetScheduledFlowRuns
        {
            WorkQueueNames = queues.Count > 0 ? queues : null,
            ScheduledBefore = now + wait,
            Limit = limit,
            WorkerName = worker,
            WaitSeconds = seconds,
        };
    }
}
