namespace OrleansFlow.Bench.Scenarios;

/// <summary>The Prefect REST routes the hot path uses, under one API base URL.</summary>
internal sealed class PrefectEndpoints(string api)
{
    private readonly string _flowRunsPrefix = $"{api}/flow_runs/";
    private readonly string _taskRunsPrefix = $"{api}/task_runs/";

    public string Api { get; } = api;

    public Uri Flows { get; } = new($"{api}/flows/");

    public Uri FlowRuns { get; } = new($"{api}/flow_runs/");

    public Uri TaskRuns { get; } = new($"{api}/task_runs/");

    public Uri FlowRunSetState(string flowRunId) => new(_flowRunsPrefix + flowRunId + "/set_state");

    public Uri TaskRunSetState(string taskRunId) => new(_taskRunsPrefix + taskRunId + "/set_state");
}
