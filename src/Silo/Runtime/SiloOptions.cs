namespace OrleansFlow.Silo.Runtime;

/// <summary>Settings of the grain runtime.</summary>
public sealed class SiloOptions
{
    /// <summary>Seconds a task run waits before trying again for a full tag concurrency limit; default 30 (as Prefect).</summary>
    public int TagConcurrencySlotWaitSeconds { get; set; } = 30;

    /// <summary>Seed for the retry-jitter random source; null (the default) seeds from the system.</summary>
    public int? JitterSeed { get; set; }
}
