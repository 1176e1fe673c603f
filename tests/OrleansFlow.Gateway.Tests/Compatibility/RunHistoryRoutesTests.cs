using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Compatibility;

/// <summary>Prefect's <c>POST /flow_runs/history</c>, <c>/task_runs/history</c> and <c>/ui/flow_runs/history</c>, on both
/// databases: runs counted in the interval their expected start falls in, by the state they are in now.</summary>
public sealed class RunHistoryRoutesTests(ServerPool servers) : IClassFixture<ServerPool>
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task FlowRunHistory_CountsRunsByExpectedStartInterval_AndCurrentState(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowId = await api.CreateFlowAsync("history-" + Guid.NewGuid().ToString("N")[..8]);
        // A day ahead (no run is marked Late meanwhile), on a whole minute.
        var start = new DateTimeOffset(DateTimeOffset.UtcNow.AddDays(1).Ticks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
        await ScheduledRunAsync(api, flowId, start.AddSeconds(10));
        await ScheduledRunAsync(api, flowId, start.AddSeconds(59));
        var cancelled = await ScheduledRunAsync(api, flowId, start.AddSeconds(60));
        await ScheduledRunAsync(api, flowId, start.AddSeconds(200)); // after history_end: not counted
        await api.AcceptStateAsync("flow_runs", cancelled, "CANCELLED");

        var history = (await api.PostAsync("flow_runs/history", new
        {
            history_start = start,
            history_end = start.AddSeconds(180),
            history_interval_seconds = 60,
            flows = new { id = new { any_ = new[] { flowId } } },
        })).Expect(HttpStatusCode.OK).Array;

        Assert.Equal(3, history.Count);
        Assert.Equal([start, start.AddSeconds(60), start.AddSeconds(120)], history.Select(i => Time(i!["interval_start"]!)));
        Assert.Equal([start.AddSeconds(60), start.AddSeconds(120), start.AddSeconds(180)], history.Select(i => Time(i!["interval_end"]!)));
        var first = Assert.Single(history[0]!["states"]!.AsArray())!;
        Assert.Equal(("SCHEDULED", "Scheduled", 2), (first["state_type"]!.GetValue<string>(), first["state_name"]!.GetValue<string>(), first["count_runs"]!.GetValue<int>()));
        Assert.Equal(0, first["sum_estimated_run_time"]!.GetValue<double>());
        Assert.Equal(0, first["sum_estimated_lateness"]!.GetValue<double>());
        var second = Assert.Single(history[1]!["states"]!.AsArray())!;
        Assert.Equal(("CANCELLED", "Cancelled", 1), (second["state_type"]!.GetValue<string>(), second["state_name"]!.GetValue<string>(), second["count_runs"]!.GetValue<int>()));
        Assert.Empty(history[2]!["states"]!.AsArray());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task TaskRunHistory_And_UiFlowRunHistory_ReturnTheFilteredRuns(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowId = await api.CreateFlowAsync("history-tasks-" + Guid.NewGuid().ToString("N")[..8]);
        var run = PrefectApi.IdOf(await api.CreateFlowRunAsync(flowId, state: "RUNNING"));
        var tasks = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            tasks.Add(PrefectApi.IdOf(await api.CreateTaskRunAsync(run, dynamicKey: i.ToString(CultureInfo.InvariantCulture), state: "RUNNING")));
        }

        await api.AcceptStateAsync("task_runs", tasks[0], "COMPLETED");
        var now = DateTimeOffset.UtcNow;

        var history = (await api.PostAsync("task_runs/history", new
        {
            history_start = now.AddHours(-1),
            history_end = now.AddHours(1),
            history_interval_seconds = 7200,
            task_runs = new { id = new { any_ = tasks } },
        })).Expect(HttpStatusCode.OK).Array;
        var scatter = (await api.PostAsync("ui/flow_runs/history", new { flows = new { id = new { any_ = new[] { flowId } } }, limit = 10 }))
            .Expect(HttpStatusCode.OK).Array;

        var states = Assert.Single(history)!["states"]!.AsArray();
        Assert.Equal([("COMPLETED", 1), ("RUNNING", 2)], states.Select(s => (s!["state_type"]!.GetValue<string>(), s["count_runs"]!.GetValue<int>())));
        var row = Assert.Single(scatter)!.AsObject();
        Assert.Equal(run.ToString(), row["id"]!.GetValue<string>());
        Assert.Equal("RUNNING", row["state_type"]!.GetValue<string>());
        Assert.True(row["duration"]!.GetValue<double>() >= 0);
        Assert.True(row["lateness"]!.GetValue<double>() >= 0);
        Assert.NotNull(row["timestamp"]);
    }

    [Fact]
    public async Task History_ManyIntervals_IsCutAtPrefectsFiveHundred()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var start = DateTimeOffset.UtcNow.AddDays(-1);

        var history = (await api.PostAsync("flow_runs/history", new { history_start = start, history_end = start.AddSeconds(5000), history_interval_seconds = 1 }))
            .Expect(HttpStatusCode.OK).Array;

        Assert.Equal(500, history.Count);
        Assert.True((Time(history[^1]!["interval_start"]!) - start.AddSeconds(499)).Duration() < TimeSpan.FromMilliseconds(1));
    }

    [Theory]
    [InlineData("flow_runs/history", """{"history_start": "2024-01-01T00:00:00Z", "history_end": "2024-01-02T00:00:00Z", "history_interval_seconds": 0.5}""", "body.history_interval_seconds", "History interval must not be less than 1 second.")]
    [InlineData("task_runs/history", """{"history_end": "2024-01-02T00:00:00Z", "history_interval_seconds": 60}""", "body.history_start", "field required")]
    [InlineData("flow_runs/history", """{"history_start": "yesterday", "history_end": "2024-01-02T00:00:00Z", "history_interval_seconds": 60}""", "body.history_start", "invalid datetime format")]
    [InlineData("flow_runs/history", """{"history_start": "2024-01-01T00:00:00Z", "history_end": "2024-01-02T00:00:00Z", "history_interval_seconds": "soon"}""", "body.history_interval_seconds", "invalid duration format")]
    [InlineData("flow_runs/history", """{"history_start": "2024-01-01T00:00:00Z", "history_end": "2024-01-02T00:00:00Z", "history_interval_seconds": 1e300}""", "body.history_interval_seconds", "invalid duration format")]
    [InlineData("flow_runs/history", """{"history_start": "2024-01-01T00:00:00Z", "history_end": "2024-01-02T00:00:00Z", "history_interval_seconds": 60, "flow_runs": {"name": {"like_": 5}}}""", "body.flow_runs.name.like_", "")]
    [InlineData("ui/flow_runs/history", """{"limit": 1001}""", "body.limit", "must be a whole number from 0 to 1000")]
    [InlineData("ui/flow_runs/history", """{"sort": "SIDEWAYS"}""", "body.sort", "value is not a valid enumeration member")]
    public async Task History_BadBody_Is422NamingTheField(string route, string body, string location, string message)
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);

        var response = (await api.PostAsync(route, body)).Expect(HttpStatusCode.UnprocessableEntity);

        Assert.Equal([location], response.ErrorLocations);
        Assert.Contains(message, response.Object["exception_detail"]![0]!["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task<Guid> ScheduledRunAsync(PrefectApi api, Guid flowId, DateTimeOffset at) =>
        (await api.PostAsync("flow_runs/", new
        {
            flow_id = flowId,
            state = new { type = "SCHEDULED", state_details = new { scheduled_time = at } },
        })).Expect(HttpStatusCode.Created).Id;

    private static DateTimeOffset Time(JsonNode node) => DateTimeOffset.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture);
}
