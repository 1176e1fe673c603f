using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;
using OrleansFlow.Grains.TaskRuns;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Testing;

namespace OrleansFlow.Silo.Tests.Concurrency;

/// <summary>The laptop case: a server process and an ephemeral in-process silo (as a flow program without a server
/// configured) writing to the same SQLite file at once. No caller may ever see "database is locked".</summary>
public sealed class SqliteTwoProcessTests
{
    [Fact]
    public async Task Grains_WritersInTwoProcessesOnOneSqliteFile_AllSucceedWithExactCounts()
    {
        const int Writers = 32;
        const int RunsPerWriter = 3;
        using var files = new SqliteFiles();
        var path = files.NewPath();
        await using var silo = await OrleansFlowSilo.StartAsync(files.Options(path));
        await using var server = await ServerProcess.StartAsync(SqliteFiles.Url(path));
        using var http = server.CreateClient();
        var flowId = await Api.CreateFlowAsync(http, "shared-file");
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            await gate.Task;
            for (var i = 0; i < RunsPerWriter; i++)
            {
                try
                {
                    if (writer % 2 == 0)
                    {
                        await DriveOverHttpAsync(http, flowId, $"http-{writer}-{i}");
                    }
                    else
                    {
                        await DriveInProcessAsync(silo, flowId, $"local-{writer}-{i}");
                    }
                }
                catch (Exception ex)
                {
                    failures.Enqueue($"writer {writer} run {i}: {ex.GetType().Name}: {ex.Message}");
                }
            }
        })).ToArray();
        gate.SetResult();
        await Task.WhenAll(writers);

        Assert.Empty(failures);
        var queries = new RunQueries(silo);
        var completed = Json("""{"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}""");
        Assert.Equal(Writers * RunsPerWriter, await queries.CountFlowRunsAsync(completed, default));
        Assert.Equal(Writers * RunsPerWriter, await queries.CountFlowRunsAsync(Json("{}"), default));
        Assert.Equal(Writers * RunsPerWriter, await queries.CountTaskRunsAsync(Json("""{"task_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}"""), default));
        // The server process sees the in-process writes and the other way round.
        Assert.Equal(Writers * RunsPerWriter, (await Api.PostAsync(http, "flow_runs/count", """{"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}""")).Body.GetInt64());
        Assert.False(server.HasExited, server.Output);
    }

    private static async Task DriveOverHttpAsync(HttpClient http, Guid flowId, string name)
    {
        var runId = await Api.CreateScheduledFlowRunAsync(http, flowId, name);
        await Expect(Api.SetFlowRunStateAsync(http, runId, "PENDING"));
        await Expect(Api.SetFlowRunStateAsync(http, runId, "RUNNING"));
        var (_, task) = await Api.PostAsync(http, "task_runs/",
            $$$"""{"flow_run_id": "{{{runId}}}", "task_key": "tasks.work", "dynamic_key": "0", "name": "{{{name}}}-task", "state": {"type": "PENDING"}}""");
        var taskId = task.GetProperty("id").GetGuid();
        await Expect(Api.SetTaskRunStateAsync(http, taskId, "RUNNING"));
        await Expect(Api.SetTaskRunStateAsync(http, taskId, "COMPLETED"));
        await Expect(Api.SetFlowRunStateAsync(http, runId, "COMPLETED"));

        static async Task Expect(Task<(System.Net.HttpStatusCode Http, string Status)> call)
        {
            var (_, status) = await call;
            if (status != "ACCEPT")
            {
                throw new InvalidOperationException($"answered {status}");
            }
        }
    }

    private static async Task DriveInProcessAsync(OrleansFlowSilo silo, Guid flowId, string name)
    {
        var (run, _) = await silo.FlowRun(silo.NewId()).CreateAsync(new FlowRun { Id = Guid.Empty, Name = name, FlowId = flowId },
            new ProposedState { Type = StateType.Scheduled });
        await Expect(silo.FlowRun(run.Id).SetStateAsync(new ProposedState { Type = StateType.Pending }, false));
        await Expect(silo.FlowRun(run.Id).SetStateAsync(new ProposedState { Type = StateType.Running }, false));
        var (task, _) = await silo.TaskRun(silo.NewId()).CreateAsync(
            new TaskRun { Id = Guid.Empty, Name = name + "-task", FlowRunId = run.Id, TaskKey = "tasks.work", DynamicKey = "0" },
            new ProposedState { Type = StateType.Pending });
        await Expect(silo.TaskRun(task.Id).SetStateAsync(new ProposedState { Type = StateType.Running }, false));
        await Expect(silo.TaskRun(task.Id).SetStateAsync(new ProposedState { Type = StateType.Completed }, false));
        await Expect(silo.FlowRun(run.Id).SetStateAsync(new ProposedState { Type = StateType.Completed }, false));

        static async Task Expect(Task<SetStateResult> call)
        {
            var result = await call;
            if (result.Result.Status != OrchestrationStatus.Accept)
            {
                throw new InvalidOperationException($"answered {result.Result.Status}: {result.Result.Details.Reason}");
            }
        }
    }

    private static System.Text.Json.JsonElement Json(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();
}
