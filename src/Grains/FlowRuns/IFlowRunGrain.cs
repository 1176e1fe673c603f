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
    [Idempotent, Alias("Create")]
    Task<(FlowRun Run, bool Created)> CreateAsync(FlowRun run, ProposedState? initialState, CancellationToken cancellationToken = default);

    /// <summary>Reads the run as stored; null when it does not exist.</summary>
    [Idempotent, Alias("Get")]
    Task<FlowRun?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>The run as this activation holds it (loaded once, then kept up to date by its own transitions), for other
    /// grains' rules; null when it does not exist. Reads nothing once the activation holds the run.</summary>
    [Idempotent, Alias("GetCurrent"), AlwaysInterleave]
    Task<FlowRun?> GetCurrentAsync();

    /// <summary>Proposes a state; the core rules decide unless <paramref name="force"/> is true.</summary>
    /// <exception cref="KeyNotFoundException">The run does not exist.</exception>
    [Idempotent(WhenTransitionId = true), Alias("SetState")]
    Task<SetStateResult> SetStateAsync(ProposedState proposed, bool force, CancellationToken cancellationToken = default);

    /// <summary>Resumes a paused run.</summary>
    /// <exception cref="KeyNotFoundException">The run does not exist.</exception>
    [Alias("Resume")]
    Task<SetStateResult> ResumeAsync(CancellationToken cancellationToken = default);

    /// <summary>Changes fields that do not go through orchestration (name, parameters, tags, infrastructure pid...).</summary>
    /// <returns>False when the run does not exist.</returns>
    [Idempotent, Alias("Update")]
    Task<bool> UpdateAsync(FlowRunUpdate update, CancellationToken cancellationToken = default);

    /// <summary>Deletes the run with its states and task runs.</summary>
    /// <returns>False when the run does not exist.</returns>
    [Alias("Delete")]
    Task<bool> DeleteAsync(CancellationToken cancellationToken = default);

    /// <summary>Records that the run is alive now (an OrleansFlow extension: the SDK and the worker send one while the run
    /// is RUNNING). From its first heartbeat the run is watched: its activation arms a timer for the heartbeat timeout,
    /// backed by a durable reminder, and a run that falls silent for the timeout is marked CRASHED (CANCELLED if it was
    /// CANCELLING), with its RUNNING task runs, which gives back their tag concurrency slots.</summary>
    /// <returns>False when the run does not exist (nothing was written).</returns>
    [Idempotent, Alias("Heartbeat")]
    Task<bool> HeartbeatAsync(CancellationToken cancellationToken = default);

    /// <summary>Looks at the run now (what its heartbeat timer and reminder do when they fire): a watched run silent
    /// for longer than the heartbeat timeout is ended, and task runs left RUNNING in a run that ended CRASHED or
    /// CANCELLED more than a timeout ago are ended too.</summary>
    /// <returns>How many flow and task runs this ended.</returns>
    [Idempotent, Alias("CheckHeartbeat")]
    Task<int> CheckHeartbeatAsync(CancellationToken cancellationToken = default);
}
