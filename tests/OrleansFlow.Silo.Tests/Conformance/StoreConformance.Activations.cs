using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Silo.Tests.Conformance;

/// <summary>Grains keep their state in memory between calls (activations). Another node writing meanwhile makes that
/// state stale; the version-checked write must catch it and decide again on fresh data.</summary>
public abstract partial class StoreConformance
{
    [Fact]
    public async Task FlowRunGrain_StateChangedByAnotherNode_DecidesOnFreshState()
    {
        var flow = await NewFlowAsync();
        var run = await NewFlowRunAsync(flow.Id, Proposed(StateType.Pending));
        var other = await StartNodeAsync();
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(OrchestrationStatus.Accept, (await other.FlowRun(run.Id).SetStateAsync(Proposed(StateType.Running), false)).Result.Status);
        Clock.Advance(TimeSpan.FromSeconds(2));

        // This node still holds the run as PENDING in memory.
        var result = await Silo.FlowRun(run.Id).SetStateAsync(Proposed(StateType.Completed), false);

        Assert.Equal(OrchestrationStatus.Accept, result.Result.Status);
        var stored = (await Silo.FlowRun(run.Id).GetAsync())!;
        Assert.Equal(StateType.Completed, stored.StateType);
        Assert.Equal(1, stored.RunCount);
        Assert.Equal(Start.AddSeconds(1), stored.StartTime);
        Assert.Equal(2, stored.TotalRunTime, 3);
        Assert.Equal(["Pending", "Running", "Completed"], (await Queries.FlowRunStatesAsync(run.Id, default)).Select(s => s.Name));
    }

    [Fact]
    public async Task TaskRunGrain_StateChangedByAnotherNode_DecidesOnFreshState()
    {
        var flowRun = await RunningFlowRunAsync();
        var task = await NewTaskRunAsync(flowRun.Id);
        Assert.Equal(OrchestrationStatus.Accept, (await Silo.TaskRun(task.Id).SetStateAsync(Proposed(StateType.Running), false)).Result.Status);
        var other = await StartNodeAsync();
        Clock.Advance(TimeSpan.FromSeconds(1));
        var completed = Proposed(StateType.Completed) with { Data = Json("""{"type": "reference", "storage_key": "/results/abc"}""") };
        Assert.Equal(OrchestrationStatus.Accept, (await other.TaskRun(task.Id).SetStateAsync(completed, false)).Result.Status);

        // This node still holds the task as RUNNING in memory; the run completed with a persisted result, so it must
        // not run again.
        var result = await Silo.TaskRun(task.Id).SetStateAsync(Proposed(StateType.Running), false);

        Assert.Equal(OrchestrationStatus.Reject, result.Result.Status);
        Assert.Equal(StateType.Completed, result.Result.State!.Type);
        Assert.Equal(["Pending", "Running", "Completed"], (await Queries.TaskRunStatesAsync(task.Id, default)).Select(s => s.Name));
    }
}
