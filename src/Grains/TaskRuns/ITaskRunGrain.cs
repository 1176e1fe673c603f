using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.TaskRuns;

/// <summary>A task run, keyed by its id: an Orleans grain. Calls take turns; a transition decides on the state the
/// activation holds (and, for RUNNING, on the answers of its tags' limit grains) and writes once (with the cache entry it
/// makes), conditional on the row version it holds.</summary>
[Alias("OrleansFlow.ITaskRunGrain")]
public interface ITaskRunGrain : IGrainWithGuidKey
{
    /// <summary>Creates the run with <paramref name="initialState"/> (a forced transition). When the flow run already has
    /// a task run with the same task key and dynamic key, returns that run instead.</summary>
    /// <returns>The stored run and true when it was created now.</returns>
    [Idempotent, Alias("Create")]
    Task<(TaskRun Run, bool Created)> CreateAsync(TaskRun run, ProposedState? initialState, CancellationToken cancellationToken = default);

    /// <summary>Creates the run as <see cref="CreateAsync"/> does and proposes <paramref name="proposed"/> to it through the
    /// core rules, in one transaction: a client's create-then-RUNNING in one call. When the flow run already has a task
    /// run with the same task key and dynamic key, the proposal goes to that run.</summary>
    /// <returns>The run after the proposal, true when it was created now, and the answer to the proposal.</returns>
    [Alias("Begin")]
    Task<(TaskRun Run, bool Created, SetStateResult Answer)> BeginAsync(TaskRun run, ProposedState? initialState, ProposedState proposed,
        CancellationToken cancellationToken = default);

    /// <summary>Reads the run as stored; null when it does not exist.</summary>
    [Idempotent, Alias("Get")]
    Task<TaskRun?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Proposes a state; the core rules decide unless <paramref name="force"/> is true.</summary>
    /// <exception cref="KeyNotFoundException">The run does not exist.</exception>
    [Idempotent(WhenTransitionId = true), Alias("SetState")]
    Task<SetStateResult> SetStateAsync(ProposedState proposed, bool force, CancellationToken cancellationToken = default);

    /// <summary>Whether the run's stored state is RUNNING (false when it does not exist): asked by a tag limit's grain
    /// before it reclaims the slot of a holder whose lease has ended. Read from the database and interleaved with the
    /// run's own calls, so that a run waiting on that limit's grain never blocks it.</summary>
    [Idempotent, Alias("IsRunning"), Orleans.Concurrency.AlwaysInterleave]
    Task<bool> IsRunningAsync();

    /// <summary>Changes the run's name, which does not go through orchestration.</summary>
    /// <returns>False when the run does not exist.</returns>
    [Idempotent, Alias("Rename")]
    Task<bool> RenameAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Deletes the run with its states, releasing any concurrency slot it holds.</summary>
    /// <returns>False when the run does not exist.</returns>
    [Alias("Delete")]
    Task<bool> DeleteAsync(CancellationToken cancellationToken = default);

    /// <summary>Drops the state this activation holds, so that its next call reads the run again: sent after another grain
    /// changed the run's row in its own transaction (a subflow's state mirrored onto its parent task run).</summary>
    [Alias("Forget"), Orleans.Concurrency.OneWay]
    Task ForgetStateAsync();
}
