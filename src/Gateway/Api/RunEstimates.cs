using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.States;
using OrleansFlow.Grains.TaskRuns;

namespace OrleansFlow.Gateway.Api;

/// <summary>The estimated run time and start delay of a run as of now, computed as Prefect does when a run is read.</summary>
internal static class RunEstimates
{
    public static FlowRun Apply(FlowRun run, DateTimeOffset now) => run with
    {
        EstimatedRunTime = RunTime(run.StateType, run.State, run.TotalRunTime, now),
        EstimatedStartTimeDelta = StartDelta(run.StartTime, run.ExpectedStartTime, run.StateType, now),
    };

    public static TaskRun Apply(TaskRun run, DateTimeOffset now) => run with
    {
        EstimatedRunTime = RunTime(run.StateType, run.State, run.TotalRunTime, now),
        EstimatedStartTimeDelta = StartDelta(run.StartTime, run.ExpectedStartTime, run.StateType, now),
    };

    private static double RunTime(StateType? type, State? state, double total, DateTimeOffset now) =>
        type == StateType.Running && state is not null ? total + Math.Max(0, (now - state.Timestamp).TotalSeconds) : total;

    private static double StartDelta(DateTimeOffset? start, DateTimeOffset? expected, StateType? type, DateTimeOffset now)
    {
        if (expected is not { } expectedStart)
        {
            return 0;
        }

        if (start is { } started)
        {
            return Math.Max(0, (started - expectedStart).TotalSeconds);
        }

        return expectedStart < now && type?.IsTerminal() != true ? (now - expectedStart).TotalSeconds : 0;
    }
}
