using OrleansFlow.Grains.Hosting;

namespace OrleansFlow.Grains.Automations;

/// <summary>What <see cref="AutomationGrain"/> reads and writes: the automation, its trigger state (conditional on its
/// version) and its firings, inside the transactions of <see cref="IGrainDatabase"/>, and the execution of a firing's
/// actions. Implemented by the silo.</summary>
public interface IAutomationStore
{
    /// <summary>The automation; null when it does not exist.</summary>
    Task<Automation?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The automation's trigger state and its version (0 and an empty state when none is stored).</summary>
    Task<(AutomationTriggerState State, long Version)> GetStateAsync(IGrainTransaction transaction, Guid id, CancellationToken cancellationToken);

    /// <summary>Writes the trigger state if its stored version is still <paramref name="expected"/>.</summary>
    /// <returns>The new version.</returns>
    /// <exception cref="Orchestration.ConcurrencyConflictException">The stored version moved on.</exception>
    Task<long> WriteStateAsync(IGrainTransaction transaction, Guid id, AutomationTriggerState state, long expected, DateTimeOffset now,
        CancellationToken cancellationToken);

    /// <summary>Stores a new firing (with its actions pending).</summary>
    Task InsertFiringAsync(IGrainTransaction transaction, AutomationFiring firing, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> of the automation's firings that still have pending actions.</summary>
    Task<List<AutomationFiring>> PendingFiringsAsync(IGrainTransaction transaction, Guid id, int limit, CancellationToken cancellationToken);

    /// <summary>Writes the automation's definition (its enabled flag, when it pauses or resumes itself).</summary>
    Task<bool> UpdateAsync(IGrainTransaction transaction, Automation automation, CancellationToken cancellationToken);

    /// <summary>Executes the pending actions of <paramref name="firing"/> and stores each result as it is known; the firing's
    /// run-deployment actions carry idempotency keys, so a firing executed again starts no second run.</summary>
    /// <param name="automation">The automation that fired.</param>
    /// <param name="firing">The firing.</param>
    /// <param name="onSelf">Applies a pause or resume of the automation itself (a grain cannot wait on a call to itself).</param>
    /// <param name="cancellationToken">Cancels the execution.</param>
    Task ExecuteAsync(Automation automation, AutomationFiring firing, Func<bool, Task> onSelf, CancellationToken cancellationToken);
}
