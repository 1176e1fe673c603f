using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.TaskRuns;

/// <summary>A task run: one call at a time, each call loads, decides and writes (with its concurrency slots and cache
/// entries) in one transaction.</summary>
public interface ITaskRunGrain
{
    /// <summary>The run's id (the grain key).</summary>
    Guid Id { get; }

    /// <summary>Creates the run with <paramref name="initialState"/> (a forced transition). When the flow run already has
    /// a task run with the same task key and dynamic key, returns that run instead.</summary>
    /// <returns>The stored run and true when it was created now.</returns>
    Task<(TaskRun Run, bool Created)> CreateAsync(TaskRun run, ProposedState? initialState, CancellationToken cancellationToken = default);

    /// <summary>Creates the run as <see cref="CreateAsync"/> does and proposes <paramref name="proposed"/> to it through the
    /// core rules, in one transaction: a client's create-then-RUNNING in one call. When the flow run already has a task
    /// run with the same task key and dynamic key, the proposal goes to that run.</summary>
    /// <returns>The run after the proposal, true when it was created now, and the answer to the proposal.</returns>
    Task<(TaskRun Run, bool Created, SetStateResult Answer)> BeginAsync(TaskRun run, ProposedState? initialState, ProposedState proposed,
        CancellationToken cancellationToken = default);

    /// <summary>Reads the run; null when it does not exist.</summary>
    Task<TaskRun?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Proposes a state; the core rules decide unless <paramref name="force"/> is true.</summary>
    /// <exception cref="KeyNotFoundException">The run does not exist.</exception>
    Task<SetStateResult> SetStateAsync(ProposedState proposed, bool force, CancellationToken cancellationToken = default);

    /// <summary>Changes fields that do not go through orchestration (the name).</summary>
    /// <returns>False when the run does not exist.</returns>
    Task<bool> UpdateAsync(Func<TaskRun, TaskRun> change, CancellationToken cancellationToken = default);

    /// <summary>Deletes the run with its states, releasing any concurrency slot it holds.</summary>
    /// <returns>False when the run does not exist.</returns>
    Task<bool> DeleteAsync(CancellationToken cancellationToken = default);
}
