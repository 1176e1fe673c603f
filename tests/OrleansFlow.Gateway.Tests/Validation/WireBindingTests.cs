using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Client;
using OrleansFlow.Client.Json;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Validation;

/// <summary>The Gateway binds request bodies to the typed client's records (<c>OrleansFlow.Client</c>): what the client
/// sends is what the server reads, the records' required members are reported missing by name, a null where the record
/// allows none is refused by name, and the lenient parts Prefect clients rely on stay lenient.</summary>
public sealed class WireBindingTests(ServerPool servers) : IClassFixture<ServerPool>
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task CreateLogs_EntryMissingTwoFields_Answers422NamingBothAndWritesNone(DatabaseKind kind)
    {
        var api = await servers.ApiAsync(kind);
        var flowRunId = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync(Unique("logs"))));
        var good = new { name = "l", level = 20, message = "kept?", timestamp = DateTimeOffset.UtcNow, flow_run_id = flowRunId };

        var response = await api.PostAsync("logs/", new object[] { good, new { level = 20, message = "m", timestamp = DateTimeOffset.UtcNow } });

        Assert.True(response.Status == HttpStatusCode.UnprocessableEntity, $"expected 422, got {response}");
        Assert.Equal(["body.1.name", "body.1.flow_run_id"], response.ErrorLocations);
        Assert.All(response.Body!["exception_detail"]!.AsArray(), e => Assert.Equal("field required", e!["msg"]!.GetValue<string>()));
        var logs = (await api.PostAsync("logs/filter", new { logs = new { flow_run_id = new { any_ = new[] { flowRunId } } } })).Expect(HttpStatusCode.OK).Array;
        Assert.Empty(logs);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task CreateTaskRun_NullTaskKey_Answers422NoneNotAllowed(DatabaseKind kind)
    {
        var api = await servers.ApiAsync(kind);
        var flowRunId = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync(Unique("null"))));

        var response = await Send(api, "task_runs/", $$"""{"flow_run_id": "{{flowRunId}}", "task_key": null, "dynamic_key": "0"}""");

        Assert.True(response.Status == HttpStatusCode.UnprocessableEntity, $"expected 422, got {response}");
        Assert.Equal(["body.task_key"], response.ErrorLocations);
        Assert.Equal("none is not an allowed value", response.Body!["exception_detail"]![0]!["msg"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task BeginTaskRun_TaskRunWithoutDynamicKey_Answers422AtTheNestedField(DatabaseKind kind)
    {
        var api = await servers.ApiAsync(kind);
        var flowRunId = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync(Unique("begin")), state: "RUNNING"));

        var response = await Send(api, "task_runs/begin",
            $$$"""{"task_run": {"flow_run_id": "{{{flowRunId}}}", "task_key": "t"}, "state": {"type": "RUNNING"}}""");

        Assert.True(response.Status == HttpStatusCode.UnprocessableEntity, $"expected 422, got {response}");
        Assert.Equal(["body.task_run.dynamic_key"], response.ErrorLocations);
    }

    /// <summary>Prefect's <c>StateCreate</c> has an <c>id</c> (a UUID) and a <c>timestamp</c> (a date-time) that it checks and
    /// then ignores; they used to be skipped unread, so any value at all was accepted.</summary>
    [Theory]
    [InlineData(DatabaseKind.Sqlite, "flow_runs", "id", "\"not-a-uuid\"", "value is not a valid uuid")]
    [InlineData(DatabaseKind.Sqlite, "flow_runs", "timestamp", "\"yesterday\"", "'yesterday' is not a valid date-time.")]
    [InlineData(DatabaseKind.Sqlite, "task_runs", "id", "42", "value is not a valid uuid")]
    [InlineData(DatabaseKind.Postgres, "task_runs", "timestamp", "\"yesterday\"", "'yesterday' is not a valid date-time.")]
    [InlineData(DatabaseKind.Postgres, "flow_runs", "id", "\"not-a-uuid\"", "value is not a valid uuid")]
    public async Task SetState_InvalidStateIdOrTimestamp_Answers422NamingTheFieldAndWritesNothing(
        DatabaseKind kind, string runs, string field, string value, string reason)
    {
        var api = await servers.ApiAsync(kind);
        var flowRunId = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync(Unique("stateid"))));
        var runId = runs == "flow_runs" ? flowRunId : PrefectApi.IdOf(await api.CreateTaskRunAsync(flowRunId));

        var response = await Send(api, $"{runs}/{runId}/set_state", $$$"""{"state": {"type": "RUNNING", "{{{field}}}": {{{value}}}}}""");

        Assert.True(response.Status == HttpStatusCode.UnprocessableEntity, $"expected 422, got {response}");
        Assert.Equal([$"body.state.{field}"], response.ErrorLocations);
        Assert.Equal(reason, response.Body!["exception_detail"]![0]!["msg"]!.GetValue<string>());
        var run = (await api.GetAsync($"{runs}/{runId}")).Expect(HttpStatusCode.OK).Object;
        Assert.Equal("PENDING", run["state"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task SetState_ValidStateIdAndTimestamp_AcceptedAndReplacedByTheServers(DatabaseKind kind)
    {
        var api = await servers.ApiAsync(kind);
        var flowRunId = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync(Unique("stateid"))));
        var sentId = Guid.NewGuid();

        var response = await Send(api, $"flow_runs/{flowRunId}/set_state",
            $$$"""{"state": {"type": "RUNNING", "id": "{{{sentId}}}", "timestamp": "2001-01-01T00:00:00Z"}}""");

        var state = response.Expect(HttpStatusCode.Created).Object["state"]!;
        Assert.NotEqual(sentId.ToString(), state["id"]!.GetValue<string>());
        Assert.False(state["timestamp"]!.GetValue<string>().StartsWith("2001", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task SetState_NullStateDetailsAndNoName_AcceptedWithTheTypesDefaultName(DatabaseKind kind)
    {
        var api = await servers.ApiAsync(kind);
        var flowRunId = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync(Unique("lenient"))));

        var response = await Send(api, $"flow_runs/{flowRunId}/set_state", """{"state": {"type": "RUNNING", "name": null, "state_details": null}}""");

        var result = response.Expect(HttpStatusCode.Created).Object;
        Assert.Equal("ACCEPT", result["status"]!.GetValue<string>());
        Assert.Equal("Running", result["state"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task CreateTaskRun_PrefectTaskInputs_StoredAsSent(DatabaseKind kind)
    {
        var api = await servers.ApiAsync(kind);
        var flowRunId = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync(Unique("inputs"))));
        var upstream = Guid.NewGuid();
        var inputs = JsonNode.Parse($$"""
            {"x": [{"input_type": "task_run", "id": "{{upstream}}"}],
             "y": [{"input_type": "parameter", "name": "n"}, {"input_type": "constant", "type": "int"}],
             "z": []}
            """)!;

        var created = (await api.PostAsync("task_runs/", new JsonObject
        {
            ["flow_run_id"] = flowRunId.ToString(),
            ["task_key"] = "t",
            ["dynamic_key"] = "0",
            ["task_inputs"] = inputs.DeepClone(),
        })).Expect(HttpStatusCode.Created);

        var read = (await api.GetAsync($"task_runs/{created.Id}")).Expect(HttpStatusCode.OK).Object;
        Assert.True(JsonNode.DeepEquals(inputs, read["task_inputs"]), $"stored {read["task_inputs"]?.ToJsonString()}");
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task CreateFlowRun_TheTypedClientsRecord_IsReadAsSent(DatabaseKind kind)
    {
        var api = await servers.ApiAsync(kind);
        var flowId = await api.CreateFlowAsync(Unique("typed"));
        var record = new FlowRunCreate
        {
            FlowId = flowId,
            Name = "typed-run",
            State = new StateCreate(StateType.Scheduled, "Late-ish") { StateDetails = new StateDetails { ScheduledTime = DateTimeOffset.UtcNow.AddHours(1) } },
            Parameters = JsonSerializer.SerializeToElement(new { n = 3 }),
            EmpiricalPolicy = new FlowRunPolicy { Retries = 2, RetryDelay = 5 },
            Tags = ["a", "b"],
            WorkQueueName = "q",
        };

        // Exactly the bytes the typed client sends.
        var response = await Send(api, "flow_runs/", JsonSerializer.Serialize(record, ClientJsonContext.Default.FlowRunCreate));

        var run = response.Expect(HttpStatusCode.Created).Object;
        Assert.Equal("typed-run", run["name"]!.GetValue<string>());
        Assert.Equal("SCHEDULED", run["state_type"]!.GetValue<string>());
        Assert.Equal("Late-ish", run["state_name"]!.GetValue<string>());
        Assert.Equal(3, run["parameters"]!["n"]!.GetValue<int>());
        Assert.Equal(2, run["empirical_policy"]!["retries"]!.GetValue<int>());
        Assert.Equal(5, run["empirical_policy"]!["retry_delay"]!.GetValue<int>());
        Assert.Equal(["a", "b"], run["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("q", run["work_queue_name"]!.GetValue<string>());
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..16];

    private static Task<ApiResponse> Send(PrefectApi api, string path, string json) =>
        api.SendAsync(new HttpRequestMessage(HttpMethod.Post, "api/" + path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
}
