using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.FlowRuns;

/// <summary>A flow run: one call at a time, each call loads, decides and writes in one transaction.</summary>
public interface IFlowRunGrain
{
    /// <summary>The run's id (the grain key).</summary>
    Guid Id { get; }

    /// <summary>Creates the run from <paramref name="run"/> with <paramref name="initialState"/> (applied as a forced
    /// transition). When the run's flow already has a run with the same idempotency key, returns that run instead.</summary>
    /// <returns>The stored run and true when it was created now.</returns>
    Task<(FlowRun Run, bool Created)> CreateAsync(FlowRun run, ProposedState? initialState, CancellationToken cancellationToken = default);

    /// <summary>Reads the run; null when it does not exist.</summary>
    Task<FlowRun?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Proposes a state; the core rules decide unless <paramref name="force"/> is true.</summary>
    /// <exception cref="KeyNotFoundException">The run does not exist.</exception>
    Task<SetStateResult> SetStateAsync(ProposedState proposed, bool force, CancellationToken cancellationToken = default);

    /// <summary>Resumes a paused run.</summary>
    /// <exception cref="KeyNotFoundException">The run does not exist.</exception>
    Task<SetStateResult> ResumeAsync(CancellationToken cancellationToken = default);

    /// <summary>Changes fields that do not go through orchestration (name, parameters, tags, infrastructure pid...).</summary>
    /// <returns>False when the run does not exist.</returns>
    Task<bool> UpdateAsync(Func<FlowRun, FlowRun> change, CancellationToken cancellationToken = default);

    /// <summary>Deletes the run with its states and task runs.</summary>
    /// <returns>False when the run does not exist.</returns>
    Task<bool> DeleteAsync(CancellationToken cancellationToken = default);
}
