using System.Collections.Concurrent;
using OrleansFlow.Sdk.Tests.Infrastructure;

namespace OrleansFlow.Sdk.Tests.Scenarios;

public sealed class StateAndHookTests
{
    private static readonly ConcurrentQueue<string> Heard = new();
    private static int _downstreamRuns;

    public sealed class RecordingHook : IRunHook
    {
        public Task OnFinishedAsync(RunHookContext context)
        {
            Heard.Enqueue($"{(context.IsFlowRun ? "flow" : "task")}:{context.Name}:{context.State?.Name}:{context.Exception?.Message ?? context.Result}");
            return Task.CompletedTask;
        }
    }

    [FlowTask(OnCompletion = [typeof(RecordingHook)])]
    internal static int Fine() => 5;

    [FlowTask(OnFailure = [typeof(RecordingHook)], Retries = 2, RetryExponentialBackoffSeconds = 0.01)]
    internal static int Broken() => throw new InvalidOperationException("broken for good");

    [FlowTask]
    internal static int Downstream()
    {
        Interlocked.Increment(ref _downstreamRuns);
        return 1;
    }

    [Flow(Name = "hooked-flow", OnCompletion = [typeof(RecordingHook)], OnFailure = [typeof(RecordingHook)])]
    internal static string HookedFlow()
    {
        var fine = Flows.CallForState(Fine);
        var broken = Flows.CallForState(Broken);
        var failing = Flows.Submit(() => Flows.Call(Broken));
        var blocked = Flows.Submit(() => Flows.Call(Downstream), waitFor: [failing]);
        var allowed = Flows.Submit(() => Flows.Call(Downstream), waitFor: [Flows.AllowFailure(failing)]);
        Assert.Throws<UpstreamTaskFailedException>(() => blocked.Result());
        Assert.Equal(1, allowed.Result());
        return $"{fine.State!.Name}:{fine.Result()} {broken.State!.Type}/{broken.State.Name}:{broken.Exception!.Message}";
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CallForState_HooksAndAllowFailure_StatesReturnedHooksRunDownstreamRunsDespiteFailure(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();
        _downstreamRuns = 0; // the same statics serve both databases' runs

        var state = Flows.CallForState(HookedFlow);

        Assert.True(state.IsCompleted);
        Assert.Equal("Completed", state.State!.Name);
        Assert.Equal("Completed:5 Failed/Failed:broken for good", state.Value);
        Assert.Contains("task:fine:Completed:5", Heard);
        Assert.Contains("task:broken:Failed:broken for good", Heard);
        Assert.Contains("flow:hooked-flow:Completed:Completed:5 Failed/Failed:broken for good", Heard);
        Assert.Equal(1, _downstreamRuns);
        var run = Assert.Single(await server.FlowRunsAsync("hooked-flow"));
        var broken = (await server.TaskRunsAsync(run.Id())).First(t => t.Str("name") == "broken-0");
        Assert.Equal(3, broken.Int("run_count"));
        Assert.Equal("[0.01,0.02]", broken["empirical_policy"]!["retry_delay"]!.ToJsonString());
    }
}
