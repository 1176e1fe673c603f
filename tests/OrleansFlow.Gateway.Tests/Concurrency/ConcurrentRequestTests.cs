using System.Net;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Concurrency;

/// <summary>Requests that race over HTTP: deduplication and tag slots must hold when clients call at the same time.</summary>
public sealed class ConcurrentRequestTests(ServerPool servers) : IClassFixture<ServerPool>
{
    private const int Callers = 12;

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task CreateFlowRun_ConcurrentSameIdempotencyKey_CreatesOneRun(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowId = await api.CreateFlowAsync($"racing-{Guid.NewGuid():N}");

        var answers = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ =>
            api.PostAsync("flow_runs/", new { flow_id = flowId, idempotency_key = "race", state = new { type = "SCHEDULED" } })));

        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.Created or HttpStatusCode.OK, a.ToString()));
        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.Single(answers.Select(a => a.Id).Distinct());
        Assert.Equal(1, await api.CountAsync("flow_runs", new { flows = new { id = new { any_ = new[] { flowId } } } }));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task CreateTaskRun_ConcurrentSameKeys_CreatesOneRun(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowRunId = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync($"racing-tasks-{Guid.NewGuid():N}")));

        var answers = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ =>
            api.PostAsync("task_runs/", new { flow_run_id = flowRunId, task_key = "race.task", dynamic_key = "0", state = new { type = "PENDING" } })));

        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.Created or HttpStatusCode.OK, a.ToString()));
        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.Single(answers.Select(a => a.Id).Distinct());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task SetState_ConcurrentRunningOnALimitedTag_AcceptsExactlyTheLimit(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var tag = $"race-{Guid.NewGuid():N}";
        (await api.PostAsync("concurrency_limits/", new { tag, concurrency_limit = 2 })).Expect(HttpStatusCode.OK);
        var flowRunId = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync($"racing-slots-{Guid.NewGuid():N}")));
        await api.AcceptStateAsync("flow_runs", flowRunId, "RUNNING");
        var taskRuns = new List<Guid>();
        for (var i = 0; i < Callers; i++)
        {
            taskRuns.Add(PrefectApi.IdOf(await api.CreateTaskRunAsync(flowRunId, dynamicKey: i.ToString(System.Globalization.CultureInfo.InvariantCulture), tags: [tag])));
        }

        var answers = await Task.WhenAll(taskRuns.Select(id => api.SetStateAsync("task_runs", id, "RUNNING")));

        var accepted = taskRuns.Where((_, i) => answers[i].Object["status"]!.GetValue<string>() == "ACCEPT").ToList();
        Assert.Equal(2, accepted.Count);
        Assert.All(answers.Where(a => a.Object["status"]!.GetValue<string>() != "ACCEPT"), a =>
        {
            Assert.Equal(HttpStatusCode.OK, a.Status);
            Assert.Equal("WAIT", a.Object["status"]!.GetValue<string>());
        });
        var slots = (await api.GetAsync($"concurrency_limits/tag/{tag}")).Expect(HttpStatusCode.OK).Object["active_slots"]!.AsArray()
            .Select(s => Guid.Parse(s!.GetValue<string>()));
        Assert.Equal(accepted.Order(), slots.Order());
        Assert.Equal(2, await api.CountAsync("task_runs", new
        {
            task_runs = new { flow_run_id = new { any_ = new[] { flowRunId } }, state = new { type = new { any_ = new[] { "RUNNING" } } } },
        }));
    }

    /// <summary>A run unloads its grain when it finishes or is deleted; calls queued behind that one were forwarded to a
    /// new activation, which unloaded in its turn, until Orleans gave up forwarding and the client got a 500.</summary>
    [Theory]
    [InlineData(DatabaseKind.Sqlite, "flow_runs")]
    [InlineData(DatabaseKind.Sqlite, "task_runs")]
    [InlineData(DatabaseKind.Postgres, "flow_runs")]
    [InlineData(DatabaseKind.Postgres, "task_runs")]
    public async Task SetState_ConcurrentFinalStatesOnOneRun_AllAnswered(DatabaseKind database, string runs)
    {
        var api = await servers.ApiAsync(database);
        var id = await RunningRunAsync(api, runs);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            api.SetStateAsync(runs, id, i % 2 == 0 ? "COMPLETED" : "FAILED")));

        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.Created, a.ToString()));
        var final = (await api.GetAsync($"{runs}/{id}")).Expect(HttpStatusCode.OK).Object["state"]!["type"]!.GetValue<string>();
        Assert.Contains(final, new[] { "COMPLETED", "FAILED" });
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite, "flow_runs")]
    [InlineData(DatabaseKind.Sqlite, "task_runs")]
    [InlineData(DatabaseKind.Postgres, "flow_runs")]
    [InlineData(DatabaseKind.Postgres, "task_runs")]
    public async Task Delete_ConcurrentOnOneRun_OneDeletesTheOthersFindNothing(DatabaseKind database, string runs)
    {
        var api = await servers.ApiAsync(database);
        var id = await RunningRunAsync(api, runs);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => api.DeleteAsync($"{runs}/{id}")));

        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.NoContent or HttpStatusCode.NotFound, a.ToString()));
        Assert.Single(answers, a => a.Status == HttpStatusCode.NoContent);
        (await api.GetAsync($"{runs}/{id}")).Expect(HttpStatusCode.NotFound);
    }

    private static async Task<Guid> RunningRunAsync(PrefectApi api, string runs)
    {
        var flowRunId = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync($"racing-final-{Guid.NewGuid():N}")));
        await api.AcceptStateAsync("flow_runs", flowRunId, "RUNNING");
        if (runs == "flow_runs")
        {
            return flowRunId;
        }

        var taskRunId = PrefectApi.IdOf(await api.CreateTaskRunAsync(flowRunId));
        await api.AcceptStateAsync("task_runs", taskRunId, "RUNNING");
        return taskRunId;
    }
}
