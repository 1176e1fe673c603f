using Orleans.Concurrency;

namespace OrleansFlow.Grains.WorkPools;

/// <summary>A work pool, keyed by its id: an Orleans grain. Claims of its scheduled runs take turns on its activation, and
/// workers waiting for work wait on it, so a run created or a slot freed on any silo wakes them with a grain call.</summary>
[Alias("OrleansFlow.IWorkPoolGrain")]
public interface IWorkPoolGrain : IGrainWithGuidKey
{
    /// <summary>Claims the pool's scheduled runs due before <paramref name="before"/> (any time when null) from
    /// <paramref name="queueNames"/> (every queue when null or empty): queues by priority, runs by due time, within the
    /// queues' and the pool's concurrency limits; none from a paused queue or pool.</summary>
    [Alias("Claim")]
    Task<WorkClaim> ClaimAsync(IReadOnlyList<string>? queueNames, DateTimeOffset? before, int? limit, string? workerName);

    /// <summary>Waits until the pool's work generation passes <paramref name="seen"/> (work may have arrived) or
    /// <paramref name="wait"/> elapses, and answers the generation. Interleaves with everything else.</summary>
    [Idempotent, Alias("WaitForWork"), AlwaysInterleave]
    Task<long> WaitForWorkAsync(long seen, TimeSpan wait);

    /// <summary>Work may have arrived (a run was created in one of the pool's queues, or a run of the pool ended and freed a
    /// slot): moves the generation on and wakes the waiting workers.</summary>
    [Alias("Pulse"), AlwaysInterleave, OneWay]
    Task PulseAsync();
}
