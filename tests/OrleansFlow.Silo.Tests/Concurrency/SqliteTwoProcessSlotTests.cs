using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.States;
using OrleansFlow.Grains.TaskRuns;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Testing;

namespace OrleansFlow.Silo.Tests.Concurrency;

/// <summary>A tag limit of one slot, contended by task runs of a server process and of an in-process silo on one SQLite
/// file: each process has its own activation of the limit's grain, so only the version-conditional write keeps them
/// from both granting the slot.</summary>
public sealed class SqliteTwoProcessSlotTests
{
    private const string Tag = "one-slot";

    [Fact]
    public async Task TagLimitOfOne_ContendedFromTwoProcessesOnOneSqliteFile_NeverTwoHoldersAndEverySlotGoesBack()
    {
        const int Contenders = 12;
        using var files = new SqliteFiles();
        var path = files.NewPath();
        await using var silo = await OrleansFlowSilo.StartAsync(files.Options(path));
        await using var server = await ServerProcess.StartAsync(SqliteFiles.Url(path));
        using var http = server.CreateClient();
        var flowId = await Api.CreateFlowAsync(http, "slots");
        var (created, _) = await Api.PostAsync(http, "concurrency_limits/", $$"""{"tag": "{{Tag}}", "concurrency_limit": 1}""");
        Assert.True((int)created < 300, $"creating the limit answered {created}");

        var taskRuns = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var contenders = Enumerable.Range(0, Contenders).Select(contender => Task.Run(async () =>
        {
            await gate.Task;
            try
            {
                var overHttp = contender % 2 == 0;
                var taskRun = overHttp
                    ? await CreateOverHttpAsync(http, flowId, $"http-{contender}")
                    : await CreateInProcessAsync(silo, flowId, $"local-{contender}");
                taskRuns.Add(taskRun);

                // Propose RUNNING until the slot is granted; a full limit answers WAIT.
                while (true)
                {
                    var status = overHttp
                        ? (await Api.SetTaskRunStateAsync(http, taskRun, "RUNNING")).Status
                        : (await silo.TaskRun(taskRun).SetStateAsync(new ProposedState { Type = StateType.Running }, false)).Result.Status.ToString().ToUpperInvariant();
                    if (status == "ACCEPT")
                    {
                        break;
                    }

                    Assert.Equal("WAIT", status);
                    await Task.Delay(5);
                }

                var completed = overHttp
                    ? (await Api.SetTaskRunStateAsync(http, taskRun, "COMPLETED")).Status
                    : (await silo.TaskRun(taskRun).SetStateAsync(new ProposedState { Type = StateType.Completed }, false)).Result.Status.ToString().ToUpperInvariant();
                Assert.Equal("ACCEPT", completed);
            }
            catch (Exception ex)
            {
                failures.Enqueue($"contender {contender}: {ex.GetType().Name}: {ex.Message}");
            }
        })).ToArray();
        gate.SetResult();
        await Task.WhenAll(contenders);

        Assert.Empty(failures);

        // The slot was held by one run at a time: sorted by when they became RUNNING, each run ended before the next
        // one started (both processes stamp states from the same clock).
        var held = new List<(DateTimeOffset Start, DateTimeOffset End, Guid Id)>();
        foreach (var id in taskRuns)
        {
            var run = await Api.GetAsync(http, $"task_runs/{id}");
            Assert.Equal("COMPLETED", run.GetProperty("state_type").GetString());
            held.Add((run.GetProperty("start_time").GetDateTimeOffset(), run.GetProperty("end_time").GetDateTimeOffset(), id));
        }

        Assert.Equal(Contenders, held.Count);
        held.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (var i = 1; i < held.Count; i++)
        {
            Assert.True(held[i - 1].End <= held[i].Start,
                $"task run {held[i].Id} became RUNNING at {held[i].Start:O} while {held[i - 1].Id} held the slot until {held[i - 1].End:O}");
        }

        var limit = await Api.GetAsync(http, $"concurrency_limits/tag/{Tag}");
        Assert.Equal(0, limit.GetProperty("active_slots").GetArrayLength());
        Assert.False(server.HasExited, server.Output);
    }

    private static async Task<Guid> CreateOverHttpAsync(HttpClient http, Guid flowId, string name)
    {
        var runId = await Api.CreateScheduledFlowRunAsync(http, flowId, name);
        await Api.SetFlowRunStateAsync(http, runId, "PENDING");
        await Api.SetFlowRunStateAsync(http, runId, "RUNNING");
        var (_, task) = await Api.PostAsync(http, "task_runs/",
            $$$"""{"flow_run_id": "{{{runId}}}", "task_key": "tasks.work", "dynamic_key": "0", "name": "{{{name}}}-task", "tags": ["{{{Tag}}}"], "state": {"type": "PENDING"}}""");
        return task.GetProperty("id").GetGuid();
    }

    private static async Task<Guid> CreateInProcessAsync(OrleansFlowSilo silo, Guid flowId, string name)
    {
        var (run, _) = await silo.FlowRun(silo.NewId()).CreateAsync(new FlowRun { Id = Guid.Empty, Name = name, FlowId = flowId },
            new ProposedState { Type = StateType.Scheduled });
        await silo.FlowRun(run.Id).SetStateAsync(new ProposedState { Type = StateType.Pending }, false);
        await silo.FlowRun(run.Id).SetStateAsync(new ProposedState { Type = StateType.Running }, false);
        var (task, _) = await silo.TaskRun(silo.NewId()).CreateAsync(
            new TaskRun { Id = Guid.Empty, Name = name + "-task", FlowRunId = run.Id, TaskKey = "tasks.work", DynamicKey = "0", Tags = [Tag] },
            new ProposedState { Type = StateType.Pending });
        return task.Id;
    }
}
