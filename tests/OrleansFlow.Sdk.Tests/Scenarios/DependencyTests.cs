using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using OrleansFlow.Sdk.Tests.Infrastructure;

namespace OrleansFlow.Sdk.Tests.Scenarios;

public sealed class DependencyTests
{
    private static readonly ConcurrentDictionary<string, int> Calls = new();

    public sealed record Batch(string Key, int Size);

    [FlowTask]
    internal static Batch Extract(string key) => new(key, 10);

    [FlowTask]
    internal static Batch Double(Batch batch) => batch with { Size = batch.Size * 2 };

    [FlowTask]
    internal static int Count(Batch first, Batch second) => first.Size + second.Size;

    [FlowTask]
    internal static int Explode(string key) => throw new InvalidOperationException($"explode {key}");

    [FlowTask]
    internal static int NeverRuns(string key)
    {
        Calls.AddOrUpdate($"never:{key}", 1, (_, n) => n + 1);
        return 1;
    }

    [FlowTask(PersistResult = true)]
    internal static Batch ExpensiveOnce(string key)
    {
        Calls.AddOrUpdate($"expensive:{key}", 1, (_, n) => n + 1);
        return new Batch(key, 7);
    }

    [FlowTask]
    internal static int FlakyOnFirstAttempt(Batch batch)
    {
        var attempt = Calls.AddOrUpdate($"flaky:{batch.Key}", 1, (_, n) => n + 1);
        return attempt == 1 ? throw new TimeoutException("first attempt fails") : batch.Size;
    }

    [Flow(Name = "graph-flow")]
    internal static int GraphFlow(string key)
    {
        var raw = Flows.Call(Extract, key);
        var doubled = Flows.Call(Double, raw);
        var counted = Flows.Submit(() => Flows.Call(Count, raw, doubled));
        var after = Flows.Submit(() => Flows.Call(NeverRuns, key), waitFor: [counted]);
        after.Wait();
        return counted.Result();
    }

    [Flow(Name = "not-ready-flow")]
    internal static string NotReadyFlow(string key)
    {
        var exploded = Flows.Submit(() => Flows.Call(Explode, key));
        var downstream = Flows.Submit(() => Flows.Call(NeverRuns, key), waitFor: [exploded]);
        var error = Assert.Throws<UpstreamTaskFailedException>(() => downstream.Result());
        return error.Message;
    }

    [Flow(Name = "retried-flow", Retries = 1)]
    internal static int RetriedFlow(string key)
    {
        var batch = Flows.Call(ExpensiveOnce, key);
        return Flows.Call(FlakyOnFirstAttempt, batch);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TaskInputs_NameTheUpstreamTaskRunsOfArgumentsAndWaitFor(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();

        Assert.Equal(30, Flows.Call(GraphFlow, $"graph-{postgres}"));

        var run = Assert.Single(await server.FlowRunsAsync("graph-flow"));
        var tasks = (await server.TaskRunsAsync(run.Id())).ToDictionary(t => t.Str("task_key").Split('.')[^1], StringComparer.Ordinal);
        Assert.Equal(["Count", "Double", "Extract", "NeverRuns"], tasks.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([], Upstream(tasks["Extract"], "key"));
        Assert.Equal([tasks["Extract"].Id()], Upstream(tasks["Double"], "batch"));
        Assert.Equal([tasks["Extract"].Id()], Upstream(tasks["Count"], "first"));
        Assert.Equal([tasks["Double"].Id()], Upstream(tasks["Count"], "second"));
        Assert.Equal([tasks["Count"].Id()], Upstream(tasks["NeverRuns"], "wait_for"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UpstreamFailure_DownstreamRecordedNotReady_BodyNeverRuns(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();
        var key = $"not-ready-{postgres}";

        var message = Flows.Call(NotReadyFlow, key);

        var run = Assert.Single(await server.FlowRunsAsync("not-ready-flow"));
        var tasks = await server.TaskRunsAsync(run.Id());
        var exploded = Assert.Single(tasks, t => t.Str("task_key").EndsWith(".Explode", StringComparison.Ordinal));
        var downstream = Assert.Single(tasks, t => t.Str("task_key").EndsWith(".NeverRuns", StringComparison.Ordinal));
        Assert.Equal("FAILED", exploded.State().Str("type"));
        Assert.Equal("PENDING", downstream.State().Str("type"));
        Assert.Equal("NotReady", downstream.State().Str("name"));
        Assert.Equal($"Upstream task run '{exploded.Id()}' did not reach a 'COMPLETED' state: InvalidOperationException: explode {key}",
            downstream.State().Str("message"));
        Assert.Equal(message, downstream.State().Str("message"));
        Assert.Equal([exploded.Id()], Upstream(downstream, "wait_for"));
        Assert.False(Calls.ContainsKey($"never:{key}"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FlowRetry_ReusesPersistedResultsOfTasksCompletedInTheFirstAttempt(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var api = server.Use();
        var key = $"retried-{postgres}";

        Assert.Equal(7, Flows.Call(RetriedFlow, key));

        Assert.Equal(1, Calls[$"expensive:{key}"]);
        Assert.Equal(2, Calls[$"flaky:{key}"]);
        var run = Assert.Single(await server.FlowRunsAsync("retried-flow"));
        Assert.Equal(2, run.Int("run_count"));
        var tasks = await server.TaskRunsAsync(run.Id());
        Assert.Equal(2, tasks.Count);
        var expensive = Assert.Single(tasks, t => t.Str("task_key").EndsWith(".ExpensiveOnce", StringComparison.Ordinal));
        var flaky = Assert.Single(tasks, t => t.Str("task_key").EndsWith(".FlakyOnFirstAttempt", StringComparison.Ordinal));
        Assert.Equal(["Pending", "Running", "Completed"], await server.TaskRunStateNamesAsync(expensive.Id()));
        Assert.Equal(["Pending", "Running", "Failed", "Retrying", "Completed"], await server.TaskRunStateNamesAsync(flaky.Id()));
        Assert.Equal(1, flaky.Int("run_count")); // leaving a terminal state restarts the count, as in Prefect
    }

    private static List<Guid> Upstream(JsonObject taskRun, string parameter) =>
        [.. (taskRun["task_inputs"]![parameter]?.AsArray() ?? []).Select(i => Guid.Parse(i!["id"]!.GetValue<string>()))];
}
