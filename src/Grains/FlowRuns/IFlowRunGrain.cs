using Orleans.Concurrency;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.FlowRuns;

/// <summary>A flow run, keyed by its id: an Orleans grain. Calls take turns; a transition decides on the state the
/// activation holds and writes once, conditional on the row version it holds.</summary>
[Alias("OrleansFlow.IFlowRunGrain")]
public interface IFlowRunGrain : IGrainWithGuidKey
{
    /// <summary>Creates the run from <paramref name="run"/> with <paramref name="initialState"/> (applied as a forced
    /// transition). When the run's flow already has a run with the same idempotency key, returns that run instead.</summary>
    /// <returns>The stored run and true when it was created now.</returns>
    [Alias("Create")]
    Task<(FlowRun Run, bool Created)> CreateAsync(FlowRun run, ProposedState? initialState, CancellationToken cancellationToken = default);

    /// <summary>Reads the run as stored; null when it does not exist.</summary>
    [Alias("Get")]
    Task<FlowRun?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>The run as this activation holds it (loaded once, then kept up to date by its own transitions), for other
    /// grains' rules; null when it does not exist. Reads nothing once the activation holds the run.</summary>
    [Alias("GetCurrent"), AlwaysInterleave]
    Task<FlowRun?> GetCurrentAsync();

    /// <summary>Proposes a state; the core rules decide unless <paramref name="force"/> is true.</summary>
    /// <exception cref="KeyNotFoundException">The run does not exist.</exception>
    [Alias("SetState")]
    Task<SetStateResult> SetStateAsync(ProposedState proposed, bool force, CancellationToken cancellationToken = default);

    /// <summary>Resumes a paused run.</summary>
    /// <exception cref="KeyNotFoundException">The run does not exist.</exception>
    [Alias("Resume")]
    Task<SetStateResult> ResumeAsync(CancellationToken cancellationToken = default);

    /// <summary>Changes fields that do not go through orchestration (name, parameters, tags, infrastructure pid...).</summary>
    /// <returns>False when the run does not exist.</returns>
    [Alias("Update")]
    Task<bool> UpdateAsync(FlowRunUpdate update, CancellationToken cancellationToken = default);

    /// <summary>Deletes the run with its states and task runs.</summary>
    /// <returns>False when the run does not exist.</returns>
    [Alias("Delete")]
    Task<bool> DeleteAsync(CancellationToken cancellationToken = default);
}
