using System.Net.Http.Json;
using OrleansFlow.Sdk.Tests.Infrastructure;

namespace OrleansFlow.Sdk.Tests.Scenarios;

/// <summary>A task called directly returns once its COMPLETED proposal is sent; the flow waits for every such answer before
/// its own final state, and an answer other than ACCEPT is logged on the task run.</summary>
public sealed class StateReportTests
{
    private const int Tasks = 3 * Runtime.StateReports.MaxInFlight;
    private static HttpClient? _api;

    [FlowTask]
    internal static int Next(int x) => x + 1;

    [Flow(Name = "reported-sequence")]
    internal static int Sequence()
    {
        var value = 0;
        for (var i = 0; i < Tasks; i++)
        {
            value = Next(value);
        }

        return value;
    }

    /// <summary>Puts its own task run in COMPLETED with a persisted result (as another client could, with force) before
    /// it returns: the server then refuses the engine's own COMPLETED.</summary>
    [FlowTask]
    internal static int CompletedElsewhere()
    {
        var id = TaskRunContext.Current!.TaskRunId;
        var state = new { type = "COMPLETED", name = "Elsewhere", data = new { type = "reference", storage_key = "elsewhere.json" } };
        using var response = _api!.PostAsJsonAsync($"task_runs/{id}/set_state", new { state, force = true }).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        return 5;
    }

    [Flow(Name = "completion-refused")]
    internal static int Refused() => CompletedElsewhere() + Next(1);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SequentialTasks_FlowReturns_EveryTaskRunCompletedAndLoggedBeforeTheFlowIs(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();

        var value = Flows.Call(Sequence);

        Assert.Equal(Tasks, value);
        var run = Assert.Single(await server.FlowRunsAsync("reported-sequence"));
        Assert.Equal("Completed", run.Str("state_name"));
        var tasks = await server.TaskRunsAsync(run.Id());
        Assert.Equal(Tasks, tasks.Count);
        Assert.All(tasks, t => Assert.Equal("Completed", t.Str("state_name")));
        foreach (var task in tasks)
        {
            Assert.Equal(["Pending", "Running", "Completed"], await server.TaskRunStateNamesAsync(task.Id()));
            Assert.True(string.CompareOrdinal(task.Str("end_time"), run.Str("end_time")) <= 0, $"{task.Str("name")} ended after its flow run");
        }

        var logs = await server.LogsAsync(run.Id());
        Assert.Equal(Tasks, logs.Count(l => l.Str("message") == "Finished in state Completed()" && l.Str("task_run_id").Length > 0));
    }

    [Fact]
    public async Task CompletionNotAccepted_WarningOnTheTaskRun_TheFlowGoesOn()
    {
        await using var server = await SdkServer.StartAsync();
        using var api = server.Use();
        _api = server.Http;

        var value = Flows.Call(Refused);

        Assert.Equal(7, value);
        var run = Assert.Single(await server.FlowRunsAsync("completion-refused"));
        Assert.Equal("Completed", run.Str("state_name"));
        var tasks = await server.TaskRunsAsync(run.Id());
        var elsewhere = Assert.Single(tasks, t => t.Str("name") == "completed-elsewhere-0");
        Assert.Equal("Elsewhere", elsewhere.Str("state_name"));
        Assert.Equal("Completed", Assert.Single(tasks, t => t.Str("name") == "next-0").Str("state_name"));
        var logs = await server.LogsAsync(run.Id());
        var warning = Assert.Single(logs, l => l.Str("message").StartsWith("The server answered ", StringComparison.Ordinal));
        Assert.Equal(elsewhere.Str("id"), warning.Str("task_run_id"));
        Assert.Equal(30, warning.Int("level"));
        Assert.Contains("Reject to Completed: the run is in state Elsewhere()", warning.Str("message"), StringComparison.Ordinal);
    }
}
