using System.Net;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Compatibility;

/// <summary>Filter bodies exactly as the Prefect client sends them: every field object in full, with its
/// <c>operator</c> and its null defaults (issue 11, "field filters reject Prefect's operator key").</summary>
public sealed class FilterShapeTests(ServerPool servers) : IClassFixture<ServerPool>
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task TaskRunsFilterAndCount_TagsWithOperatorAndNulls_MatchLikePrefect(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var run = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync(Unique("tr-shape"))));
        var both = PrefectApi.IdOf(await api.CreateTaskRunAsync(run, dynamicKey: "0", tags: ["a", "b"]));
        var onlyA = PrefectApi.IdOf(await api.CreateTaskRunAsync(run, dynamicKey: "1", tags: ["a"]));
        var none = PrefectApi.IdOf(await api.CreateTaskRunAsync(run, dynamicKey: "2"));
        var taskRuns = $$"""
            "task_runs": {"operator": "and_", "tags": {"operator": "and_", "all_": ["a", "b"], "is_null_": null}, "id": null,
              "name": null, "state": null, "start_time": null, "subflow_runs": null,
              "flow_run_id": {"operator": "and_", "any_": ["{{run}}"], "is_null_": false} }
            """;

        var body = $$"""{"flows": null, "flow_runs": null, {{taskRuns}}, "deployments": null, "sort": "ID_DESC", "limit": null, "offset": 0}""";
        var matched = (await api.PostAsync("task_runs/filter", body)).Expect(HttpStatusCode.OK).Array.Select(r => PrefectApi.IdOf(r!));
        var count = (await api.PostAsync("task_runs/count", $$"""{"flows": null, "flow_runs": null, {{taskRuns}}, "deployments": null}"""))
            .Expect(HttpStatusCode.OK).Body!.GetValue<long>();
        // or_ joins a field's own criteria: tagged "b" or untagged.
        var either = (await api.PostAsync("task_runs/filter", $$"""
            {"task_runs": {"operator": "and_", "tags": {"operator": "or_", "all_": ["b"], "is_null_": true},
              "flow_run_id": {"operator": "and_", "any_": ["{{run}}"], "is_null_": false} } }
            """)).Expect(HttpStatusCode.OK).Array.Select(r => PrefectApi.IdOf(r!));

        Assert.Equal([both], matched);
        Assert.Equal(1, count);
        Assert.Equal(new HashSet<Guid> { both, none }, either.ToHashSet());
        Assert.DoesNotContain(onlyA, either);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task FlowRunsFilterAndCount_DeploymentParentAndQueueWithOperator_MatchLikePrefect(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var flowName = Unique("fr-shape");
        var flowId = await api.CreateFlowAsync(flowName);
        var deployment = (await api.PostAsync("deployments/", new { name = "d", flow_id = flowId })).Expect(HttpStatusCode.Created).Id;
        var deployed = (await api.PostAsync($"deployments/{deployment}/create_flow_run", new { })).Expect(HttpStatusCode.Created).Id;
        var adHoc = PrefectApi.IdOf(await api.CreateFlowRunAsync(flowId));
        var flows = $$"""{"operator": "and_", "id": null, "name": {"any_": ["{{flowName}}"], "like_": null}, "tags": null}""";

        Task<ApiResponse> PostAsync(string path, string flowRuns) => api.PostAsync(path,
            $$"""{"flows": {{flows}}, "flow_runs": {{flowRuns}}, "task_runs": null, "deployments": null, "sort": null, "limit": null, "offset": 0}""");
        var byDeployment = (await PostAsync("flow_runs/filter", $$"""
            {"operator": "and_", "id": null, "name": null, "tags": {"operator": "and_", "all_": null, "is_null_": null},
             "deployment_id": {"operator": "and_", "any_": ["{{deployment}}"], "is_null_": null}, "work_queue_name": null, "state": null,
             "flow_version": null, "start_time": null, "expected_start_time": null, "next_scheduled_start_time": null,
             "parent_task_run_id": {"operator": "and_", "any_": null, "is_null_": true}, "idempotency_key": null}
            """)).Expect(HttpStatusCode.OK).Array.Select(r => PrefectApi.IdOf(r!));
        var byQueue = (await PostAsync("flow_runs/filter", """
            {"operator": "and_", "work_queue_name": {"operator": "and_", "any_": ["default"], "is_null_": null}}
            """)).Expect(HttpStatusCode.OK).Array.Select(r => PrefectApi.IdOf(r!));
        var withoutDeployment = (await PostAsync("flow_runs/count", """
            {"operator": "and_", "deployment_id": {"operator": "and_", "any_": null, "is_null_": true},
             "parent_task_run_id": {"operator": "and_", "any_": null, "is_null_": true}}
            """)).Expect(HttpStatusCode.OK).Body!.GetValue<long>();

        Assert.Equal([deployed], byDeployment);
        Assert.Equal([deployed], byQueue);
        Assert.Equal(1, withoutDeployment);
        Assert.NotEqual(deployed, adHoc);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task FlowsDeploymentsVariablesFilter_TagsWithOperator_MatchLikePrefect(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var tag = Unique("tag");
        var other = Unique("other");
        var tagged = await api.CreateFlowAsync(Unique("flow-shape"), tag, other);
        await api.CreateFlowAsync(Unique("flow-shape"), other);
        var deployment = (await api.PostAsync("deployments/", new { name = "tagged", flow_id = tagged, tags = new[] { tag } })).Expect(HttpStatusCode.Created).Id;
        var variable = Unique("var_shape").Replace('-', '_');
        (await api.PostAsync("variables/", new { name = variable, value = "v", tags = new[] { tag } })).Expect(HttpStatusCode.Created);
        var tags = $$"""{"operator": "and_", "all_": ["{{tag}}"], "is_null_": null}""";

        var flows = (await api.PostAsync("flows/filter", $$"""
            {"flows": {"operator": "and_", "id": null, "deployment": null, "name": null, "tags": {{tags}}}, "flow_runs": null, "task_runs": null,
             "deployments": null, "sort": "NAME_ASC", "limit": null, "offset": 0}
            """)).Expect(HttpStatusCode.OK).Array.Select(r => PrefectApi.IdOf(r!));
        var flowsWithDeployment = (await api.PostAsync("flows/count", $$"""
            {"flows": {"operator": "and_", "deployment": {"operator": "and_", "is_null_": false}, "tags": {"operator": "and_", "all_": ["{{other}}"], "is_null_": null} } }
            """)).Expect(HttpStatusCode.OK).Body!.GetValue<long>();
        var deployments = (await api.PostAsync("deployments/filter", $$"""
            {"flows": null, "flow_runs": null, "task_runs": null, "deployments": {"operator": "and_", "id": null, "name": null,
             "paused": {"eq_": false}, "is_schedule_active": null, "tags": {{tags}}, "work_queue_name": null}, "work_pools": null,
             "work_pool_queues": null, "sort": "NAME_ASC", "limit": null, "offset": 0}
            """)).Expect(HttpStatusCode.OK).Array.Select(r => PrefectApi.IdOf(r!));
        var deploymentCount = (await api.PostAsync("deployments/count", $$"""{"deployments": {"operator": "and_", "tags": {{tags}}} }"""))
            .Expect(HttpStatusCode.OK).Body!.GetValue<long>();
        var variables = (await api.PostAsync("variables/filter", $$"""
            {"variables": {"operator": "and_", "id": null, "name": null, "value": null, "tags": {{tags}}}, "sort": "NAME_ASC", "limit": null, "offset": 0}
            """)).Expect(HttpStatusCode.OK).Array.Select(v => v!["name"]!.GetValue<string>());
        var variableCount = (await api.PostAsync("variables/count", $$"""{"variables": {"operator": "and_", "tags": {{tags}}} }"""))
            .Expect(HttpStatusCode.OK).Body!.GetValue<long>();

        Assert.Equal([tagged], flows);
        Assert.Equal(1, flowsWithDeployment);
        Assert.Equal([deployment], deployments);
        Assert.Equal(1, deploymentCount);
        Assert.Equal([variable], variables);
        Assert.Equal(1, variableCount);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Filter_BadOperatorValue_Answers422NamingIt(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);

        var response = (await api.PostAsync("task_runs/filter", """{"task_runs": {"tags": {"operator": "xor_", "all_": ["a"]}}}"""))
            .Expect(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("body.task_runs.tags.operator", response.ErrorLocations);
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
