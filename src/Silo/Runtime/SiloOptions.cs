namespace OrleansFlow.Silo.Runtime;

/// <summary>Settings of the grain runtime.</summary>
public sealed class SiloOptions
{
    /// <summary>Seconds a task run waits before trying again for a full tag concurrency limit; default 30 (as Prefect).</summary>
    public int TagConcurrencySlotWaitSeconds { get; set; } = 30;

    /// <summary>How long a grain activation may stay idle before Orleans collects it (its state then costs one read on
    /// its next call); default 2 minutes. A run that reaches a terminal state is collected as soon as it is idle.</summary>
    public TimeSpan ActivationCollectionAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a RUNNING (or CANCELLING) flow run that sends heartbeats (<c>POST
    /// /api/flow_runs/{id}/heartbeat</c>) may go without one (counted from its state's time when later) before the
    /// reaper marks it CRASHED and releases its task runs' concurrency slots; default 90 s.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>When true, the reaper also marks CRASHED a RUNNING run that never sent a heartbeat, once it has been
    /// RUNNING for <see cref="HeartbeatTimeout"/>. Default false: clients that send no heartbeats (Prefect 2 clients,
    /// SDKs and workers without heartbeats) would otherwise see every run longer than the timeout crashed; a run is
    /// watched from its first heartbeat on.</summary>
    public bool HeartbeatsRequired { get; set; }

    /// <summary>Seed for the retry-jitter random source; null (the default) seeds from the system.</summary>
    public int? JitterSeed { get; set; }
}
