using System.Globalization;

namespace OrleansFlow.Bench.Scenarios;

/// <summary>What every worker of a run shares: the flow id, the per-task strings, the flow-run name counter.</summary>
internal sealed class HotPathPlan
{
    private long _flowRunNumber;

    public HotPathPlan(string flowId, int tasksPerFlow)
    {
        FlowId = flowId;
        TasksPerFlow = tasksPerFlow;
        DynamicKeys = [.. Enumerable.Range(0, tasksPerFlow).Select(i => i.ToString(CultureInfo.InvariantCulture))];
        TaskNames = [.. DynamicKeys.Select(key => "task-" + key)];
    }

    public string FlowId { get; }

    public int TasksPerFlow { get; }

    public IReadOnlyList<string> DynamicKeys { get; }

    public IReadOnlyList<string> TaskNames { get; }

    public string NextFlowRunName() =>
        "bench-" + Interlocked.Increment(ref _flowRunNumber).ToString(CultureInfo.InvariantCulture);
}
