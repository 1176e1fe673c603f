using System.Net;
using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Compatibility;

/// <summary>A proposed state whose <c>data</c> carries <c>artifact_type</c> and <c>artifact_description</c> makes the run's
/// <c>result</c> artifact and is stored without those keys, as Prefect 2.10 does (issue 11, "result artifacts").</summary>
public sealed class ResultArtifactTests(ServerPool servers) : IClassFixture<ServerPool>
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task TaskRunSetState_UnpersistedResultData_CreatesResultArtifactAndStoresStrippedData(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowRun = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync(Unique("artifact-task"))));
        await api.AcceptStateAsync("flow_runs", flowRun, "RUNNING");
        var taskRun = PrefectApi.IdOf(await api.CreateTaskRunAsync(flowRun));
        await api.AcceptStateAsync("task_runs", taskRun, "RUNNING");

        // The body the Prefect 2.10.11 client sent (traffic 01), with this run's id.
        var answer = (await api.PostAsync($"task_runs/{taskRun}/set_state", $$"""
            {"state": {"type": "COMPLETED", "name": "Completed", "message": null,
              "data": {"type": "unpersisted", "artifact_type": "result", "artifact_description": "Unpersisted result of type `list`"},
              "state_details": {"flow_run_id": null, "task_run_id": "{{taskRun}}", "child_flow_run_id": null, "scheduled_time": null,
                "cache_key": null, "cache_expiration": null, "untrackable_result": true, "pause_timeout": null, "pause_reschedule": false,
                "pause_key": null, "refresh_cache": null} },
             "force": false}
            """)).Expect(HttpStatusCode.Created).Object;

        Assert.Equal("ACCEPT", answer["status"]!.GetValue<string>());
        Assert.Equal("""{"type":"unpersisted"}""", answer["state"]!["data"]!.ToJsonString());
        var stored = (await api.GetAsync($"task_runs/{taskRun}")).Expect(HttpStatusCode.OK).Object;
        Assert.Equal("""{"type":"unpersisted"}""", stored["state"]!["data"]!.ToJsonString());
        var artifact = Assert.Single(await ArtifactsAsync(api, $$"""{"artifacts": {"task_run_id": {"any_": ["{{taskRun}}"]} } }"""));
        Assert.Equal("result", artifact["type"]!.GetValue<string>());
        Assert.Equal("Unpersisted result of type `list`", artifact["description"]!.GetValue<string>());
        Assert.Equal("""{"type":"unpersisted"}""", artifact["data"]!.ToJsonString());
        Assert.Equal(flowRun.ToString(), artifact["flow_run_id"]!.GetValue<string>());
        Assert.Null(artifact["key"]);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task FlowRunSetState_UnpersistedResultData_CreatesResultArtifactAndStoresStrippedData(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowRun = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync(Unique("artifact-flow"))));
        await api.AcceptStateAsync("flow_runs", flowRun, "RUNNING");

        var answer = (await api.PostAsync($"flow_runs/{flowRun}/set_state", $$"""
            {"state": {"type": "COMPLETED", "name": "Completed", "message": "All states completed.",
              "data": {"type": "unpersisted", "artifact_type": "result", "artifact_description": "Unpersisted result of type `int`"},
              "state_details": {"flow_run_id": "{{flowRun}}", "task_run_id": null, "child_flow_run_id": null, "scheduled_time": null,
                "cache_key": null, "cache_expiration": null, "untrackable_result": false, "pause_timeout": null, "pause_reschedule": false,
                "pause_key": null, "refresh_cache": null} },
             "force": false}
            """)).Expect(HttpStatusCode.Created).Object;

        Assert.Equal("ACCEPT", answer["status"]!.GetValue<string>());
        var stored = (await api.GetAsync($"flow_runs/{flowRun}")).Expect(HttpStatusCode.OK).Object;
        Assert.Equal("""{"type":"unpersisted"}""", stored["state"]!["data"]!.ToJsonString());
        var artifact = Assert.Single(await ArtifactsAsync(api, $$"""{"flow_runs": {"id": {"any_": ["{{flowRun}}"]} } }"""));
        Assert.Equal("result", artifact["type"]!.GetValue<string>());
        Assert.Equal("Unpersisted result of type `int`", artifact["description"]!.GetValue<string>());
        Assert.Null(artifact["task_run_id"]);
        Assert.Equal(1, (await api.PostAsync("artifacts/count", $$"""{"artifacts": {"type": {"any_": ["result"]}, "flow_run_id": {"any_": ["{{flowRun}}"]} } }"""))
            .Expect(HttpStatusCode.OK).Body!.GetValue<long>());
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task SetState_RejectedProposalWithData_CreatesNoArtifact(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowRun = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync(Unique("artifact-abort"))));

        // The run is PENDING already: a second PENDING is not accepted (two workers never both start a run), so no artifact.
        var answer = (await api.PostAsync($"flow_runs/{flowRun}/set_state", """
            {"state": {"type": "PENDING", "data": {"type": "unpersisted", "artifact_type": "result", "artifact_description": "x"}}, "force": false}
            """)).Object;

        Assert.NotEqual("ACCEPT", answer["status"]!.GetValue<string>());
        Assert.Empty(await ArtifactsAsync(api, $$"""{"artifacts": {"flow_run_id": {"any_": ["{{flowRun}}"]} } }"""));
    }

    private static async Task<List<JsonObject>> ArtifactsAsync(PrefectApi api, string filter) =>
        [.. (await api.PostAsync("artifacts/filter", filter)).Expect(HttpStatusCode.OK).Array.Select(a => a!.AsObject())];

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
