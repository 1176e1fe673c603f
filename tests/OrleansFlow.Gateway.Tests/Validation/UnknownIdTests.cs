using System.Net;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Validation;

/// <summary>Well-formed ids that name nothing get 404 with a <c>detail</c>, and nothing is created on the way.</summary>
public sealed class UnknownIdTests(ServerPool servers) : IClassFixture<ServerPool>
{
    private const string Missing = "6f7ea3cc-1c1e-4b8e-9d3a-5a1f1f0e0b42";
    private const string Running = """{"state": {"type": "RUNNING"}}""";

    public static TheoryData<string, string, string?> Requests() => new()
    {
        { "GET", $"flows/{Missing}", null },
        { "GET", "flows/name/no-such-flow", null },
        { "PATCH", $"flows/{Missing}", """{"tags": ["x"]}""" },
        { "DELETE", $"flows/{Missing}", null },
        { "GET", $"flow_runs/{Missing}", null },
        { "PATCH", $"flow_runs/{Missing}", """{"name": "x"}""" },
        { "DELETE", $"flow_runs/{Missing}", null },
        { "POST", $"flow_runs/{Missing}/set_state", Running },
        { "POST", $"flow_runs/{Missing}/resume", null },
        { "GET", $"flow_runs/{Missing}/graph", null },
        { "GET", $"flow_run_states/{Missing}", null },
        { "GET", $"task_runs/{Missing}", null },
        { "PATCH", $"task_runs/{Missing}", """{"name": "x"}""" },
        { "DELETE", $"task_runs/{Missing}", null },
        { "POST", $"task_runs/{Missing}/set_state", Running },
        { "GET", $"task_run_states/{Missing}", null },
        { "GET", $"concurrency_limits/{Missing}", null },
        { "DELETE", $"concurrency_limits/{Missing}", null },
        { "GET", "concurrency_limits/tag/no-such-tag", null },
        { "DELETE", "concurrency_limits/tag/no-such-tag", null },
        { "POST", "concurrency_limits/tag/no-such-tag/reset", "{}" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Send_UnknownId_Answers404WithDetailAndCreatesNothing(string method, string path, string? body)
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);

        var response = await api.SendAsync(new HttpMethod(method), path, body);

        Assert.True(response.Status == HttpStatusCode.NotFound, $"expected 404, got {response}");
        Assert.False(string.IsNullOrEmpty(response.Object["detail"]?.GetValue<string>()), $"no detail: {response}");
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"flow_runs/{Missing}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"task_runs/{Missing}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"flows/{Missing}")).Status);
    }

    [Fact]
    public async Task StateHistory_OfUnknownRun_IsEmpty()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);

        var flowRunStates = (await api.GetAsync($"flow_run_states/?flow_run_id={Missing}")).Expect(HttpStatusCode.OK).Array;
        var taskRunStates = (await api.GetAsync($"task_run_states/?task_run_id={Missing}")).Expect(HttpStatusCode.OK).Array;

        Assert.Empty(flowRunStates);
        Assert.Empty(taskRunStates);
    }
}
