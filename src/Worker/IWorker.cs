namespace OrleansFlow.Worker;

/// <summary>A worker's work as one-tick steps, looped by <see cref="WorkerHost"/>: <see cref="ProcessWorker"/> (local
/// processes) and <see cref="Kubernetes.KubernetesWorker"/> (a Kubernetes Job per run).</summary>
public interface IWorker : IDisposable
{
    /// <summary>How many more runs the limit allows now (null: no limit).</summary>
    int? FreeSlots { get; }

    /// <summary>Completes when the infrastructure of a started run ends (the host then watches at once); a worker that
    /// cannot tell returns a task that never completes and is watched at its interval.</summary>
    Task InfrastructureExited { get; }

    /// <summary>Sends one heartbeat for the pool.</summary>
    Task HeartbeatOnceAsync(CancellationToken cancellationToken = default);

    /// <summary>Claims due runs (waiting up to <paramref name="wait"/> on the server) within the limit and starts them;
    /// answers how many it started.</summary>
    Task<int> PollOnceAsync(TimeSpan wait, CancellationToken cancellationToken = default);

    /// <summary>Checks the started runs: reports crashed and cancelled runs and stops watching finished ones.</summary>
    Task WatchOnceAsync(CancellationToken cancellationToken = default);
}
