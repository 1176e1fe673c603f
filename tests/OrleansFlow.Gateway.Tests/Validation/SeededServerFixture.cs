using System.Net;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Validation;

/// <summary>A live SQLite server holding one flow, one RUNNING flow run and one RUNNING task run, for requests that
/// need real ids.</summary>
public sealed class SeededServerFixture : IAsyncLifetime
{
    private TestServer? _server;

    internal TestServer Server => _server!;

    internal PrefectApi Api => Server.Api;

    public Guid FlowId { get; private set; }

    public Guid FlowRunId { get; private set; }

    public Guid TaskRunId { get; private set; }

    /// <summary>Puts the seeded ids into a path or body template: <c>{flow}</c>, <c>{flow_run}</c>, <c>{task_run}</c>.</summary>
    public string Fill(string template) => template
        .Replace("{flow}", FlowId.ToString(), StringComparison.Ordinal)
        .Replace("{flow_run}", FlowRunId.ToString(), StringComparison.Ordinal)
        .Replace("{task_run}", TaskRunId.ToString(), StringComparison.Ordinal);

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(DatabaseKind.Sqlite);
        FlowId = await Api.CreateFlowAsync("seeded-flow");
        FlowRunId = PrefectApi.IdOf(await Api.CreateFlowRunAsync(FlowId, "seeded-run"));
        await Api.AcceptStateAsync("flow_runs", FlowRunId, "RUNNING");
        TaskRunId = PrefectApi.IdOf(await Api.CreateTaskRunAsync(FlowRunId));
        await Api.AcceptStateAsync("task_runs", TaskRunId, "RUNNING");
        (await Api.PostAsync("concurrency_limits/", new { tag = "seeded-tag", concurrency_limit = 3 })).Expect(HttpStatusCode.OK);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
