namespace OrleansFlow.Silo.Queries.History;

/// <summary>One interval of Prefect's <c>/flow_runs/history</c> or <c>/task_runs/history</c>: the runs expected to start
/// in [<see cref="IntervalStart"/>, <see cref="IntervalEnd"/>), grouped by the state they are in now.</summary>
/// <param name="IntervalStart">The interval's start (inclusive).</param>
/// <param name="IntervalEnd">Its end (exclusive).</param>
/// <param name="States">One entry per state type and name among its runs; empty when none.</param>
public sealed record RunStateHistory(DateTimeOffset IntervalStart, DateTimeOffset IntervalEnd, IReadOnlyList<RunStateHistoryState> States);

/// <summary>The runs of an interval that are in one state.</summary>
/// <param name="StateType">The state type (<c>COMPLETED</c>), or null for runs without a state.</param>
/// <param name="StateName">The state name.</param>
/// <param name="CountRuns">How many runs.</param>
/// <param name="SumEstimatedRunTime">Their run times added, in seconds (a RUNNING run counts its time so far).</param>
/// <param name="SumEstimatedLateness">How late they started (or, not started yet, are now) added, in seconds.</param>
public sealed record RunStateHistoryState(string? StateType, string? StateName, long CountRuns, double SumEstimatedRunTime, double SumEstimatedLateness);
