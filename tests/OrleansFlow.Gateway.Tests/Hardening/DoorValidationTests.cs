using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Hardening;

/// <summary>Issue 13's "Found" list: each input that used to answer 500 (and often stay stored, breaking later reads and
/// the scheduler for everyone) answers a 422 naming the field, stores nothing, and leaves the server serving.</summary>
public sealed class DoorValidationTests(ServerPool servers) : IClassFixture<ServerPool>
{
    private const string LoneSurrogate = "\"\\ud800\"";

    /// <summary>A name for each case, its method, path, body (<c>{flow}</c>, <c>{flow_run}</c> filled in), the resource
    /// whose count must not change, and the <c>loc</c> the 422 must name.</summary>
    public static TheoryData<DatabaseKind, string> Cases()
    {
        var data = new TheoryData<DatabaseKind, string>();
        foreach (var kind in new[] { DatabaseKind.Sqlite, DatabaseKind.Postgres })
        {
            foreach (var name in BadRequests.Keys)
            {
                data.Add(kind, name);
            }
        }

        return data;
    }

    private static readonly Dictionary<string, (string Method, string Path, string Body, string Counted, string Loc)> BadRequests = new()
    {
        ["interval TimeSpan.MaxValue"] = ("POST", "deployments/", """{"name": "d", "flow_id": "{flow}", "schedule": {"interval": "10675199.02:48:05.4775807"}}""", "deployments", "body.schedule"),
        ["interval 1e15"] = ("POST", "deployments/", """{"name": "d", "flow_id": "{flow}", "schedule": {"interval": 1e15}}""", "deployments", "body.schedule"),
        ["interval 1e-9"] = ("POST", "deployments/", """{"name": "d", "flow_id": "{flow}", "schedule": {"interval": 1e-9}}""", "deployments", "body.schedule"),
        ["required parameter on a schedule"] = ("POST", "deployments/", """
            {"name": "d", "flow_id": "{flow}", "schedule": {"interval": 3600},
             "parameter_openapi_schema": {"type": "object", "properties": {"x": {"type": "integer"}}, "required": ["x"]}}
            """, "deployments", "body.parameters.x"),
        ["artifact data lone surrogate"] = ("POST", "artifacts/", """{"type": "markdown", "data": """ + LoneSurrogate + "}", "artifacts", "body.data"),
        ["state data lone surrogate"] = ("POST", "flow_runs/", """{"flow_id": "{flow}", "state": {"type": "PENDING", "data": {"x": [1, """ + LoneSurrogate + "]}}}", "flow_runs", "body.state.data.x.1"),
        ["filter lone surrogate"] = ("POST", "flow_runs/filter", """{"flow_runs": {"name": {"any_": [""" + LoneSurrogate + "]}}}", "flow_runs", "body.flow_runs.name.any_.0"),
        ["key lone surrogate"] = ("POST", "flow_runs/", """{"flow_id": "{flow}", "parameters": {""" + LoneSurrogate + ": 1}}", "flow_runs", "body.parameters"),
        ["NUL in a name"] = ("POST", "flows/", """{"name": "a\u0000b"}""", "flows", "body.name"),
        ["NUL in parameters"] = ("POST", "flow_runs/", """{"flow_id": "{flow}", "parameters": {"p": "\u0000"}}""", "flow_runs", "body.parameters.p"),
        ["duplicate key in block data"] = ("POST", "block_documents/", """{"name": "b", "data": {"value": 1, "value": 2}}""", "flows", "body.data.value"),
        ["retry_delay 1e15"] = ("POST", "task_runs/", """{"flow_run_id": "{flow_run}", "task_key": "t", "dynamic_key": "1", "empirical_policy": {"retries": 1, "retry_delay": 1e15}}""", "task_runs", "body.empirical_policy.retry_delay"),
        ["retry_delay -1e12"] = ("POST", "task_runs/", """{"flow_run_id": "{flow_run}", "task_key": "t", "dynamic_key": "2", "empirical_policy": {"retries": 1, "retry_delay": -1e12}}""", "task_runs", "body.empirical_policy.retry_delay"),
        ["retry_delay 1e400"] = ("POST", "task_runs/", """{"flow_run_id": "{flow_run}", "task_key": "t", "dynamic_key": "3", "empirical_policy": {"retries": 1, "retry_delay": [1, 1e400]}}""", "task_runs", "body.empirical_policy.retry_delay.1"),
        ["any_ of 40,000 ids"] = ("POST", "flow_runs/filter", "{\"flow_runs\": {\"id\": {\"any_\": [" + string.Join(",", Enumerable.Repeat($"\"{Guid.Empty}\"", 40_000)) + "]}}}", "flow_runs", "body.flow_runs.id.any_"),
        ["all_ of 1,000 tags"] = ("POST", "task_runs/filter", "{\"task_runs\": {\"tags\": {\"all_\": [" + string.Join(",", Enumerable.Range(0, 1000).Select(i => $"\"t{i}\"")) + "]}}}", "task_runs", "body.task_runs.tags.all_"),
        ["like_ of 50,000 characters"] = ("POST", "flows/filter", "{\"flows\": {\"name\": {\"like_\": \"" + new string('x', 50_000) + "\"}}}", "flows", "body.flows.name.like_"),
        ["block document name of 1 MB"] = ("POST", "block_documents/", "{\"name\": \"" + new string('a', 1 << 20) + "\", \"block_schema_id\": \"{flow}\", \"block_type_id\": \"{flow}\", \"data\": {}}", "flows", "body.name"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Send_InputThatUsedToAnswer500_Answers422NamingTheFieldAndStoresNothing(DatabaseKind kind, string name)
    {
        var (method, path, template, counted, loc) = BadRequests[name];
        var api = await servers.ApiAsync(kind);
        var flowId = await api.CreateFlowAsync("door-" + Guid.NewGuid().ToString("N")[..8]);
        var flowRunId = PrefectApi.IdOf(await api.CreateFlowRunAsync(flowId, state: "RUNNING"));
        var before = await api.CountAsync(counted);

        using var request = new HttpRequestMessage(new HttpMethod(method), "api/" + path)
        {
            Content = new StringContent(template.Replace("{flow}", flowId.ToString(), StringComparison.Ordinal)
                .Replace("{flow_run}", flowRunId.ToString(), StringComparison.Ordinal), Encoding.UTF8, "application/json"),
        };
        var response = await api.SendAsync(request);

        Assert.True(response.Status == HttpStatusCode.UnprocessableEntity, $"{name}: expected 422, got {response}");
        Assert.Contains(loc, response.ErrorLocations);
        Assert.Equal(before, await api.CountAsync(counted));
        (await api.GetAsync("health")).Expect(HttpStatusCode.OK);
        (await api.PostAsync("artifacts/filter", new { })).Expect(HttpStatusCode.OK);
        (await api.PostAsync("artifacts/latest/filter", new { })).Expect(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task FailTask_RetryDelayAtTheLimit_IsRetriedNot500(DatabaseKind kind)
    {
        var api = await servers.ApiAsync(kind);
        var flowRunId = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync("retry-" + Guid.NewGuid().ToString("N")[..8]), state: "RUNNING"));
        var taskRun = (await api.PostAsync("task_runs/", JsonNode.Parse($$$"""
            {"flow_run_id": "{{{flowRunId}}}", "task_key": "t", "dynamic_key": "0",
             "empirical_policy": {"retries": 1, "retry_delay": 315360000, "retry_jitter_factor": 100}}
            """))).Expect(HttpStatusCode.Created).Id;
        await api.AcceptStateAsync("task_runs", taskRun, "RUNNING");

        var failed = (await api.SetStateAsync("task_runs", taskRun, "FAILED")).Expect(HttpStatusCode.Created).Object;

        Assert.Equal("REJECT", failed["status"]!.GetValue<string>());
        Assert.Equal("AwaitingRetry", failed["state"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task PatchDeployment_ScheduleThatWouldRunWithoutARequiredParameter_Answers422AndKeepsTheOldOne(DatabaseKind kind)
    {
        var api = await servers.ApiAsync(kind);
        var flowId = await api.CreateFlowAsync("patch-" + Guid.NewGuid().ToString("N")[..8]);
        var deployment = (await api.PostAsync("deployments/", JsonNode.Parse($$$"""
            {"name": "d", "flow_id": "{{{flowId}}}",
             "parameter_openapi_schema": {"type": "object", "properties": {"x": {"type": "integer"}}, "required": ["x"]}}
            """))).Expect(HttpStatusCode.Created).Id;

        var response = await api.PatchAsync($"deployments/{deployment}", JsonNode.Parse("""{"schedule": {"interval": 60}}"""));

        Assert.True(response.Status == HttpStatusCode.UnprocessableEntity, $"expected 422, got {response}");
        Assert.Contains("body.parameters.x", response.ErrorLocations);
        Assert.Null((await api.GetAsync($"deployments/{deployment}")).Expect(HttpStatusCode.OK).Object["schedule"]);
    }

    [Theory]
    [InlineData("runs?page=99999999999")]
    [InlineData("flows?page=99999999999")]
    [InlineData("runs?page=-1")]
    public async Task GetUiPage_PageNumberOutOfRange_RendersTheFirstPage(string path)
    {
        var server = await servers.ServerAsync(DatabaseKind.Sqlite);

        using var response = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
