using OrleansFlow.Sdk.Tests.Infrastructure;

namespace OrleansFlow.Sdk.Tests.Scenarios;

public sealed class OrchestrationTests
{
    private static int _blockedBodies;

    [FlowTask(Tags = ["blocked"])]
    internal static int Blocked()
    {
        Interlocked.Increment(ref _blockedBodies);
        return 1;
    }

    [Flow(Name = "aborted-task")]
    internal static int AbortedFlow() => Flows.Call(Blocked);

    private static HttpClient? _api;

    [FlowTask]
    internal static int AfterCancel() => Interlocked.Increment(ref _blockedBodies);

    [Flow(Name = "cancelled-flow")]
    internal static int CancelledFlow()
    {
        // What the UI's cancel button does while the flow runs.
        using var response = _api!.PostAsync($"flow_runs/{FlowRunContext.Current!.FlowRunId}/set_state", new StringContent(
            """{"state":{"type":"CANCELLING","name":"Cancelling"}}""", System.Text.Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        return Flows.Call(AfterCancel);
    }

    [Flow(Name = "named-runs", RunName = "report-{day}-{count}", Tags = ["nightly"], Version = "1.2")]
    internal static string NamedFlow(string day, int count) => $"{FlowRunContext.Current!.Name}:{FlowRunContext.Current.Parameters["count"]}";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Task_ServerAborts_BodyNotRun_FlowFailedAndCallerGetsAbort(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();
        await server.CreateTagLimitAsync("blocked", 0);

        var thrown = Assert.Throws<OrchestrationAbortedException>(() => Flows.Call(AbortedFlow));

        Assert.Contains("concurrency limit on tag \"blocked\" is 0", thrown.Message, StringComparison.Ordinal);
        Assert.Equal(0, _blockedBodies);
        var run = Assert.Single(await server.FlowRunsAsync("aborted-task"));
        Assert.Equal("FAILED", run.Str("state_type"));
        Assert.StartsWith("Flow run encountered an exception: OrchestrationAbortedException:", run.State().Str("message"), StringComparison.Ordinal);
        Assert.Equal("Pending", Assert.Single(await server.TaskRunsAsync(run.Id())).Str("state_name"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Flow_CancelledWhileRunning_NextTaskAbortedAndRunStaysCancelled(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();
        _api = server.Http;

        var thrown = Assert.ThrowsAny<OperationCanceledException>(() => Flows.Call(CancelledFlow));
        Assert.IsType<OrchestrationAbortedException>(thrown.InnerException);

        var run = Assert.Single(await server.FlowRunsAsync("cancelled-flow"));
        Assert.Equal("CANCELLED", run.Str("state_type"));
        var task = Assert.Single(await server.TaskRunsAsync(run.Id()));
        Assert.Equal("Pending", task.Str("state_name"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Flow_RunNameTemplateTagsAndVersion_RecordedOnTheRun(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();

        var result = Flows.Call(NamedFlow, "monday", 3);

        Assert.Equal("report-monday-3:3", result);
        var run = Assert.Single(await server.FlowRunsAsync("named-runs"));
        Assert.Equal("report-monday-3", run.Str("name"));
        Assert.Equal("1.2", run.Str("flow_version"));
        Assert.Equal(["nightly"], run["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("""{"day":"monday","count":3}""", run["parameters"]!.ToJsonString());
    }
}
