using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Queries;

namespace OrleansFlow.Silo.Tests.Conformance;

public abstract partial class StoreConformance
{
    [Theory]
    [InlineData("""{}""", "Gamma,alpha-one,alpha-two,beta")]
    [InlineData("""{"flow_runs": {"name": {"any_": null}, "tags": null}}""", "Gamma,alpha-one,alpha-two,beta")]
    [InlineData("""{"flow_runs": {"name": {"any_": ["alpha-one", "beta"]}}}""", "alpha-one,beta")]
    [InlineData("""{"flow_runs": {"name": {"any_": []}}}""", "")]
    [InlineData("""{"flow_runs": {"name": {"not_any_": ["alpha-one", "beta"]}}}""", "Gamma,alpha-two")]
    [InlineData("""{"flow_runs": {"name": {"like_": "alpha"}}}""", "alpha-one,alpha-two")]
    [InlineData("""{"flow_runs": {"name": {"like_": "gAM"}}}""", "Gamma")]
    [InlineData("""{"flow_runs": {"name": {"startswith_": "alpha-t"}}}""", "alpha-two")]
    [InlineData("""{"flow_runs": {"expected_start_time": {"before_": "2024-01-01T12:01:00Z"}}}""", "alpha-two,beta")]
    [InlineData("""{"flow_runs": {"expected_start_time": {"after_": "2024-01-01T12:01:00Z"}}}""", "Gamma,alpha-one,beta")]
    [InlineData("""{"flow_runs": {"expected_start_time": {"after_": "2024-01-01T12:00:30Z", "before_": "2024-01-01T13:01:30+01:00"}}}""", "beta")]
    [InlineData("""{"flow_runs": {"start_time": {"is_null_": true}}}""", "alpha-one")]
    [InlineData("""{"flow_runs": {"start_time": {"is_null_": false, "before_": "2024-01-01T12:01:00Z"}}}""", "alpha-two,beta")]
    [InlineData("""{"flow_runs": {"tags": {"all_": ["prod", "nightly"]}}}""", "alpha-one")]
    [InlineData("""{"flow_runs": {"tags": {"all_": ["prod"]}}}""", "alpha-one,alpha-two")]
    [InlineData("""{"flow_runs": {"tags": {"any_": ["nightly", "adhoc"]}}}""", "alpha-one,beta")]
    [InlineData("""{"flow_runs": {"tags": {"is_null_": true}}}""", "Gamma")]
    [InlineData("""{"flow_runs": {"state": {"type": {"any_": ["COMPLETED", "FAILED"]}}}}""", "Gamma,alpha-two")]
    [InlineData("""{"flow_runs": {"state": {"type": {"not_any_": ["SCHEDULED"]}}}}""", "Gamma,alpha-two,beta")]
    [InlineData("""{"flow_runs": {"state": {"name": {"any_": ["Running"]}}}}""", "beta")]
    [InlineData("""{"flow_runs": {"idempotency_key": {"any_": ["key-4"]}}}""", "Gamma")]
    [InlineData("""{"flow_runs": {"flow_version": {"any_": ["2"]}}}""", "Gamma")]
    [InlineData("""{"flow_runs": {"operator": "or_", "name": {"any_": ["beta"]}, "tags": {"all_": ["nightly"]}}}""", "alpha-one,beta")]
    [InlineData("""{"flows": {"name": {"any_": ["report"]}}}""", "Gamma,beta")]
    [InlineData("""{"flows": {"tags": {"all_": ["prod"]}}}""", "alpha-one,alpha-two")]
    [InlineData("""{"flows": {"name": {"any_": ["etl"]}}, "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}}}""", "alpha-one")]
    [InlineData("""{"task_runs": {"state": {"type": {"any_": ["RUNNING"]}}}}""", "beta")]
    [InlineData("""{"task_runs": {"name": {"any_": ["extract"]}}}""", "alpha-two")]
    [InlineData("""{"deployments": null, "work_pools": {"operator": "and_"}}""", "Gamma,alpha-one,alpha-two,beta")]
    public async Task RunQueries_FilterFlowRuns_ReturnsMatchingRunsAndCountAgrees(string body, string expected)
    {
        await SeedFilterDataAsync();

        var runs = await Queries.FilterFlowRunsAsync(Json(body), default);
        var count = await Queries.CountFlowRunsAsync(Json(body), default);

        Assert.Equal(Names(expected), runs.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Equal(runs.Count, count);
    }

    [Theory]
    [InlineData("""{"task_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}""", "extract")]
    [InlineData("""{"task_runs": {"tags": {"all_": ["db"]}}}""", "load")]
    [InlineData("""{"task_runs": {"task_key": {"any_": ["tasks.load"]}}}""", "load")]
    [InlineData("""{"task_runs": {"start_time": {"after_": "2024-01-01T12:00:30Z"}}}""", "load")]
    [InlineData("""{"flow_runs": {"name": {"any_": ["beta"]}}}""", "load")]
    [InlineData("""{"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}""", "extract")]
    [InlineData("""{"flows": {"name": {"any_": ["etl"]}}}""", "extract")]
    [InlineData("""{"flows": {"name": {"any_": ["nothing"]}}}""", "")]
    public async Task RunQueries_FilterTaskRuns_ReturnsMatchingRunsAndCountAgrees(string body, string expected)
    {
        await SeedFilterDataAsync();

        var runs = await Queries.FilterTaskRunsAsync(Json(body), default);
        var count = await Queries.CountTaskRunsAsync(Json(body), default);

        Assert.Equal(Names(expected), runs.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Equal(runs.Count, count);
    }

    [Theory]
    [InlineData("""{"flows": {"name": {"like_": "rep"}}}""", "report")]
    [InlineData("""{"flow_runs": {"state": {"type": {"any_": ["FAILED"]}}}}""", "report")]
    [InlineData("""{"flow_runs": {"tags": {"any_": ["prod"]}}}""", "etl")]
    [InlineData("""{"task_runs": {"name": {"any_": ["extract"]}}}""", "etl")]
    [InlineData("""{"flows": {"tags": {"is_null_": true}}}""", "report")]
    public async Task RunQueries_FilterFlows_ReturnsMatchingFlowsAndCountAgrees(string body, string expected)
    {
        await SeedFilterDataAsync();

        var flows = await Queries.FilterFlowsAsync(Json(body), default);
        var count = await Queries.CountFlowsAsync(Json(body), default);

        Assert.Equal(Names(expected), flows.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Equal(flows.Count, count);
    }

    [Fact]
    public async Task RunQueries_FilterFlowRunsById_ReturnsThoseRuns()
    {
        var data = await SeedFilterDataAsync();

        var runs = await Queries.FilterFlowRunsAsync(Json($$$"""{"flow_runs": {"id": {"any_": ["{{{data.AlphaOne}}}", "{{{data.Gamma}}}"]} } }"""), default);
        var others = await Queries.FilterFlowRunsAsync(Json($$$"""{"flow_runs": {"id": {"not_any_": ["{{{data.AlphaOne}}}"]} } }"""), default);

        Assert.Equal(new[] { data.AlphaOne, data.Gamma }.Order(), runs.Select(r => r.Id).Order());
        Assert.Equal(3, others.Count);
        Assert.DoesNotContain(data.AlphaOne, others.Select(r => r.Id));
    }

    [Fact]
    public async Task RunQueries_FilterBySubflowRelations_FindsSubflowsAndTheirParentTasks()
    {
        var flow = await NewFlowAsync();
        var parent = await RunningFlowRunAsync(flow.Id, name: "parent");
        var parentTask = await NewTaskRunAsync(parent.Id, "flows.child", name: "child-task");
        var plainTask = await NewTaskRunAsync(parent.Id, "tasks.plain", name: "plain-task");
        var (child, _) = await Silo.FlowRun(Silo.NewId()).CreateAsync(
            new FlowRun { Id = Guid.Empty, Name = "child", FlowId = flow.Id, ParentTaskRunId = parentTask.Id }, Scheduled(Start));
        await NewFlowRunAsync(flow.Id, name: "unrelated");

        var subflows = await Queries.FilterFlowRunsAsync(Json($$$"""{"flow_runs": {"parent_flow_run_id": {"any_": ["{{{parent.Id}}}"]} } }"""), default);
        var byParentTask = await Queries.FilterFlowRunsAsync(Json($$$"""{"flow_runs": {"parent_task_run_id": {"any_": ["{{{parentTask.Id}}}"]} } }"""), default);
        var topLevel = await Queries.FilterFlowRunsAsync(Json("""{"flow_runs": {"parent_task_run_id": {"is_null_": true}}}"""), default);
        var tasksWithSubflows = await Queries.FilterTaskRunsAsync(Json("""{"task_runs": {"subflow_runs": {"exists_": true}}}"""), default);
        var tasksWithout = await Queries.FilterTaskRunsAsync(Json("""{"task_runs": {"subflow_runs": {"exists_": false}}}"""), default);

        Assert.Equal([child.Id], subflows.Select(r => r.Id));
        Assert.Equal([child.Id], byParentTask.Select(r => r.Id));
        Assert.Equal(["parent", "unrelated"], topLevel.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Equal([parentTask.Id], tasksWithSubflows.Select(r => r.Id));
        Assert.Equal([plainTask.Id], tasksWithout.Select(r => r.Id));
    }

    [Theory]
    [InlineData("EXPECTED_START_TIME_ASC", "alpha-two,beta,Gamma,alpha-one")]
    [InlineData("EXPECTED_START_TIME_DESC", "alpha-one,Gamma,beta,alpha-two")]
    [InlineData("START_TIME_DESC", "Gamma,beta,alpha-two,alpha-one")]
    [InlineData("ID_DESC", "alpha-one,Gamma,beta,alpha-two")]
    public async Task RunQueries_FilterFlowRunsSorted_ReturnsRunsInThatOrder(string sort, string expected)
    {
        await SeedFilterDataAsync();

        var runs = await Queries.FilterFlowRunsAsync(Json($$$"""{"sort": "{{{sort}}}"}"""), default);

        if (sort == "START_TIME_DESC")
        {
            // Where runs that never started go is the database's NULL ordering: check the started ones.
            Assert.Equal(Names("Gamma,beta,alpha-two", ordered: false), runs.Where(r => r.StartTime is not null).Select(r => r.Name));
        }
        else
        {
            Assert.Equal(expected.Split(','), runs.Select(r => r.Name));
        }
    }

    [Fact]
    public async Task RunQueries_FilterFlowRunsByName_SortsByName()
    {
        await SeedFilterDataAsync();
        const string Lowercase = "{\"name\": {\"any_\": [\"alpha-one\", \"alpha-two\", \"beta\"]}}";

        var ascending = await Queries.FilterFlowRunsAsync(Json($$$"""{"sort": "NAME_ASC", "flow_runs": {{{Lowercase}}}}"""), default);
        var descending = await Queries.FilterFlowRunsAsync(Json($$$"""{"sort": "NAME_DESC", "flow_runs": {{{Lowercase}}}}"""), default);

        Assert.Equal(["alpha-one", "alpha-two", "beta"], ascending.Select(r => r.Name));
        Assert.Equal(["beta", "alpha-two", "alpha-one"], descending.Select(r => r.Name));
    }

    [Theory]
    [InlineData(2, 0, "alpha-two,beta")]
    [InlineData(2, 1, "beta,Gamma")]
    [InlineData(10, 3, "alpha-one")]
    [InlineData(10, 4, "")]
    [InlineData(0, 0, "")]
    public async Task RunQueries_FilterFlowRunsWithLimitAndOffset_ReturnsThatPage(int limit, int offset, string expected)
    {
        await SeedFilterDataAsync();

        var page = await Queries.FilterFlowRunsAsync(Json($$$"""{"sort": "EXPECTED_START_TIME_ASC", "limit": {{{limit}}}, "offset": {{{offset}}}}"""), default);

        Assert.Equal(Names(expected, ordered: false), page.Select(r => r.Name));
    }

    [Theory]
    [InlineData("""{"flow_runs": {"nope": {"any_": ["x"]}}}""", "flow_runs,nope")]
    [InlineData("""{"flow_runs": {"name": {"bogus_": "x"}}}""", "flow_runs,name,bogus_")]
    [InlineData("""{"flow_runs": {"id": {"any_": ["not-a-uuid"]}}}""", "flow_runs,id,any_,0")]
    [InlineData("""{"flow_runs": {"state": {"type": {"any_": "RUNNING"}}}}""", "flow_runs,state,type,any_")]
    [InlineData("""{"flow_runs": {"state": {"kind": {"any_": ["RUNNING"]}}}}""", "flow_runs,state,kind")]
    [InlineData("""{"flow_runs": {"state": {"type": {"any_": ["RUNNIN"]}}}}""", "flow_runs,state,type,any_,0")]
    [InlineData("""{"flow_runs": {"state": {"type": {"not_any_": ["COMPLETED", "running"]}}}}""", "flow_runs,state,type,not_any_,1")]
    [InlineData("""{"flow_runs": {"start_time": {"before_": "yesterday"}}}""", "flow_runs,start_time,before_")]
    [InlineData("""{"flow_runs": {"start_time": {"like_": "2024"}}}""", "flow_runs,start_time,like_")]
    [InlineData("""{"flow_runs": {"tags": {"all_": [1]}}}""", "flow_runs,tags,all_,0")]
    [InlineData("""{"flow_runs": {"operator": "xor_"}}""", "flow_runs,operator")]
    [InlineData("""{"flow_runs": []}""", "flow_runs")]
    [InlineData("""{"flows": {"name": {"any_": [7]}}}""", "flows,name,any_,0")]
    [InlineData("""{"task_runs": {"state": {"type": {"any_": [null]}}}}""", "task_runs,state,type,any_,0")]
    [InlineData("""{"deployments": {"id": {"any_": ["not-a-uuid"]}}}""", "deployments,id,any_,0")]
    [InlineData("""{"work_pools": {"kind": {"any_": ["process"]}}}""", "work_pools,kind")]
    [InlineData("""{"sort": "SIDEWAYS"}""", "sort")]
    [InlineData("""{"limit": 1000}""", "limit")]
    [InlineData("""{"limit": "ten"}""", "limit")]
    [InlineData("""{"offset": -1}""", "offset")]
    [InlineData("""[1]""", "")]
    public async Task RunQueries_FilterFlowRunsWithBadBody_ThrowsFilterExceptionNamingTheField(string body, string path)
    {
        await SeedFilterDataAsync();

        var error = await Assert.ThrowsAsync<FilterException>(() => Queries.FilterFlowRunsAsync(Json(body), default));

        Assert.Equal(path.Split(',', StringSplitOptions.RemoveEmptyEntries), error.Path);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        // The failed query leaves the store usable.
        Assert.Equal(4, await Queries.CountFlowRunsAsync(Json("{}"), default));
    }

    [Theory]
    [InlineData("""{"task_runs": {"flow_run_id": {"any_": ["x"]}}}""", "task_runs,flow_run_id,any_,0")]
    [InlineData("""{"task_runs": {"subflow_runs": {"exists_": "yes"}}}""", "task_runs,subflow_runs,exists_")]
    public async Task RunQueries_CountTaskRunsWithBadBody_ThrowsFilterExceptionNamingTheField(string body, string path)
    {
        var error = await Assert.ThrowsAsync<FilterException>(() => Queries.CountTaskRunsAsync(Json(body), default));

        Assert.Equal(path.Split(','), error.Path);
    }

    private static IEnumerable<string> Names(string csv, bool ordered = true)
    {
        var names = csv.Split(',', StringSplitOptions.RemoveEmptyEntries);
        return ordered ? names.Order(StringComparer.Ordinal) : names;
    }

    /// <summary>Two flows and four runs, one a minute apart (expected start times 12:00, 12:01, 12:02 and 13:00):
    /// <c>alpha-two</c> (etl, [prod]) COMPLETED with task run <c>extract</c> COMPLETED; <c>beta</c> (report, [adhoc])
    /// RUNNING with task run <c>load</c> ([db]) RUNNING; <c>Gamma</c> (report, no tags, key-4, version 2) FAILED;
    /// <c>alpha-one</c> (etl, [prod, nightly]) SCHEDULED for 13:00, never started.</summary>
    private async Task<FilterData> SeedFilterDataAsync()
    {
        var etl = await NewFlowAsync("etl", "prod");
        var report = await NewFlowAsync("report");

        var alphaTwo = await NewFlowRunAsync(etl.Id, Scheduled(Start), "alpha-two", ["prod"]);
        await DriveFlowRunAsync(alphaTwo.Id, StateType.Pending, StateType.Running);
        var extract = await NewTaskRunAsync(alphaTwo.Id, "tasks.extract", name: "extract");
        await DriveTaskRunAsync(extract.Id, StateType.Running, StateType.Completed);
        await DriveFlowRunAsync(alphaTwo.Id, StateType.Completed);

        Clock.Advance(TimeSpan.FromMinutes(1));
        var beta = await NewFlowRunAsync(report.Id, Scheduled(Clock.GetUtcNow()), "beta", ["adhoc"]);
        await DriveFlowRunAsync(beta.Id, StateType.Pending, StateType.Running);
        var load = await NewTaskRunAsync(beta.Id, "tasks.load", name: "load", tags: ["db"]);
        await DriveTaskRunAsync(load.Id, StateType.Running);

        Clock.Advance(TimeSpan.FromMinutes(1));
        var gamma = await NewFlowRunAsync(report.Id, Scheduled(Clock.GetUtcNow()), "Gamma", idempotencyKey: "key-4");
        await Silo.FlowRun(gamma.Id).UpdateAsync(new FlowRunUpdate { FlowVersion = "2" });
        await DriveFlowRunAsync(gamma.Id, StateType.Pending, StateType.Running, StateType.Failed);

        Clock.Advance(TimeSpan.FromSeconds(1));
        var alphaOne = await NewFlowRunAsync(etl.Id, Scheduled(Start.AddHours(1)), "alpha-one", ["prod", "nightly"]);
        return new FilterData(alphaOne.Id, alphaTwo.Id, beta.Id, gamma.Id);
    }

    private async Task DriveFlowRunAsync(Guid id, params StateType[] states)
    {
        foreach (var state in states)
        {
            var result = await Silo.FlowRun(id).SetStateAsync(Proposed(state), force: false);
            Assert.Equal(state, result.Result.State!.Type);
        }
    }

    private async Task DriveTaskRunAsync(Guid id, params StateType[] states)
    {
        foreach (var state in states)
        {
            var result = await Silo.TaskRun(id).SetStateAsync(Proposed(state), force: false);
            Assert.Equal(state, result.Result.State!.Type);
        }
    }

    private sealed record FilterData(Guid AlphaOne, Guid AlphaTwo, Guid Beta, Guid Gamma);
}
