namespace OrleansFlow.Grains.ConcurrencyLimits;

/// <summary>A tag concurrency limit (Prefect's v1 limits), keyed by its tag (behind the prefix <c>tag:</c>, since Orleans refuses a blank key): an Orleans grain. Its activation holds the
/// limit and the task runs holding its slots, each slot under a lease; every write is conditional on the row version the
/// activation holds, so a second activation of the same tag (during a membership change, or another process on one
/// SQLite file) can never grant a slot the first one granted.</summary>
[Alias("OrleansFlow.IConcurrencyLimitGrain")]
public interface IConcurrencyLimitGrain : IGrainWithStringKey
{
    /// <summary>Creates the tag's limit, or changes it (keeping the slots held).</summary>
    /// <returns>The limit as stored.</returns>
    [Idempotent, Alias("Upsert")]
    Task<ConcurrencyLimit> UpsertAsync(int limit);

    /// <summary>The limit as committed (read again when another activation wrote since); null when the tag has none.</summary>
    [Idempotent, Alias("Get")]
    Task<ConcurrencyLimit?> GetAsync();

    /// <summary>Takes a slot for <paramref name="taskRunId"/> when one is free (a slot it holds already counts, and its
    /// lease is renewed). When the limit is full, the holders whose lease has ended are asked whether they are still
    /// RUNNING: a holder that is not loses its slot, one that is has its lease renewed.</summary>
    [Alias("TryAcquire")]
    Task<SlotAcquisition> TryAcquireAsync(Guid taskRunId);

    /// <summary>Gives back the slots held by <paramref name="taskRunIds"/> (none held: nothing is written).</summary>
    [Idempotent, Alias("Release")]
    Task ReleaseAsync(IReadOnlyList<Guid> taskRunIds);

    /// <summary>Replaces the runs holding slots with <paramref name="slots"/> (Prefect's reset; none when empty), each
    /// under a fresh lease.</summary>
    /// <returns>False when the tag has no limit.</returns>
    [Idempotent, Alias("Reset")]
    Task<bool> ResetAsync(IReadOnlyList<Guid> slots);

    /// <summary>Deletes the limit (only when its id is <paramref name="id"/>, if given).</summary>
    /// <returns>False when there was no such limit.</returns>
    [Alias("Delete")]
    Task<bool> DeleteAsync(Guid? id);
}
