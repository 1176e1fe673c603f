using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Queries;

namespace OrleansFlow.Silo.Tests.Conformance;

/// <summary>The flow-run list of the UI (<see cref="RunQueries.FlowRunPageAsync"/>, capped counts, counts by state):
/// the same runs in the same order as the filter semantics say, whichever way the SQL is shaped (one arm per state
/// type, rows probed in sort order past the cap, ids first for deep pages).</summary>
public abstract partial class StoreConformance
{
    // Seed (SeedFilterDataAsync): alpha-two 12:00 COMPLETED [prod]; beta 12:01 RUNNING [adhoc]; Gamma 12:02 FAILED [];
    // alpha-one 13:00 SCHEDULED [prod, nightly].
    [Theory]
    [InlineData("""{"flow_runs": {"state": {"type": {"any_": ["COMPLETED", "FAILED", "RUNNING"]}}}, "sort": "EXPECTED_START_TIME_DESC"}""", "Gamma,beta,alpha-two", 3)]
    [InlineData("""{"flow_runs": {"state": {"type": {"any_": ["COMPLETED", "SCHEDULED", "RUNNING", "SCHEDULED"]}}}, "sort": "NAME_ASC", "offset": 1, "limit": 1}""", "alpha-two", 3)]
    [InlineData("""{"flow_runs": {"state": {"type": {"any_": ["SCHEDULED", "RUNNING"]}, "name": {"any_": ["Running"]}}}, "sort": "START_TIME_DESC"}""", "beta", 1)]
    [InlineData("""{"flow_runs": {"operator": "or_", "state": {"type": {"any_": ["FAILED", "RUNNING"]}}, "tags": {"all_": ["nightly"]}}, "sort": "EXPECTED_START_TIME_DESC"}""", "alpha-one,Gamma,beta", 3)]
    [InlineData("""{"flow_runs": {"tags": {"all_": ["prod"]}}, "sort": "EXPECTED_START_TIME_ASC"}""", "alpha-two,alpha-one", 2)]
    [InlineData("""{"flow_runs": {"tags": {"all_": ["prod", "nightly", "prod"]}}}""", "alpha-one", 1)]
    [InlineData("""{"flow_runs": {"tags": {"all_": ["prod", "prod"], "any_": null}, "state": {"type": {"any_": ["SCHEDULED"]}}}}""", "alpha-one", 1)]
    [InlineData("""{"flow_runs": {"tags": {"all_": ["prod"]}, "name": {"like_": "two"}}, "flows": {"name": {"any_": ["etl"]}}}""", "alpha-two", 1)]
    [InlineData("""{"flow_runs": {"tags": {"any_": ["nightly", "adhoc"]}}, "sort": "NAME_DESC"}""", "beta,alpha-one", 2)]
    [InlineData("""{"flow_runs": {"tags": {"all_": []}}, "sort": "EXPECTED_START_TIME_ASC"}""", "alpha-two,beta,Gamma,alpha-one", 4)]
    [InlineData("""{"flow_runs": {"tags": {"any_": []}}}""", "", 0)]
    [InlineData("""{"flow_runs": {"name": {"like_": "ALPHA"}, "state": {"type": {"any_": ["SCHEDULED", "COMPLETED"]}}}, "sort": "NAME_ASC"}""", "alpha-one,alpha-two", 2)]
    [InlineData("""{"flow_runs": {"name": {"startswith_": "alpha-"}}, "sort": "END_TIME_DESC"}""", "alpha-two,alpha-one", 2)]
    [InlineData("""{"flows": {"name": {"like_": "rep"}}, "flow_runs": {"state": {"type": {"any_": ["FAILED", "CRASHED"]}}}}""", "Gamma", 1)]
    [InlineData("""{"sort": "START_TIME_ASC", "offset": 1000}""", "", 4)]
    [InlineData("""{"flow_runs": {"state": {"type": {"any_": ["COMPLETED", "FAILED"]}}}, "sort": "EXPECTED_START_TIME_DESC", "offset": 1000}""", "", 2)]
    public async Task RunQueries_FlowRunPage_SameRunsAndOrderWhateverTheCap(string body, string expected, long total)
    {
        await SeedFilterDataAsync();

        // A cap of 0 makes every non-empty result "more than the cap", the way of a million runs (rows probed in order).
        var generous = await Queries.FlowRunPageAsync(Json(body), 10_000, default);
        var capped = await Queries.FlowRunPageAsync(Json(body), 0, default);
        var filtered = await Queries.FilterFlowRunsAsync(Json(body), default);

        var names = expected.Split(',', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(names, generous.Runs.Select(r => r.Name));
        Assert.Equal(names, capped.Runs.Select(r => r.Name));
        Assert.Equal(names, filtered.Select(r => r.Name));
        Assert.Equal(total, generous.Count);
        Assert.Equal(Math.Min(total, 1), capped.Count);
    }

    [Fact]
    public async Task RunQueries_FlowRunPageBadStateType_FailsNamingTheField()
    {
        await SeedFilterDataAsync();

        var error = await Assert.ThrowsAsync<FilterException>(() =>
            Queries.FlowRunPageAsync(Json("""{"flow_runs": {"state": {"type": {"any_": ["FAILED", "BOGUS"]}}}}"""), 100, default));

        Assert.Equal(["flow_runs", "state", "type", "any_", "1"], error.Path);
    }

    [Fact]
    public async Task RunQueries_CountFlowRunsCapped_StopsOnePastTheCap()
    {
        await SeedFilterDataAsync();

        Assert.Equal(4, await Queries.CountFlowRunsAsync(Json("{}"), 10, default));
        Assert.Equal(3, await Queries.CountFlowRunsAsync(Json("{}"), 2, default));
        Assert.Equal(1, await Queries.CountFlowRunsAsync(Json("""{"flow_runs": {"tags": {"all_": ["nightly"]}}}"""), 0, default));
    }

    [Fact]
    public async Task RunQueries_CountFlowRunsByState_OneCountPerTypeWithinTheFilter()
    {
        await SeedFilterDataAsync();

        var all = await Queries.CountFlowRunsByStateAsync(Json("{}"), default);
        var prod = await Queries.CountFlowRunsByStateAsync(Json("""{"flow_runs": {"tags": {"any_": ["prod"]}}}"""), default);
        var early = await Queries.CountFlowRunsByStateAsync(Json("""{"flow_runs": {"expected_start_time": {"before_": "2024-01-01T12:01:30Z"}}}"""), default);

        Assert.Equal(new Dictionary<StateType, long> { [StateType.Scheduled] = 1, [StateType.Completed] = 1, [StateType.Running] = 1, [StateType.Failed] = 1 }, all);
        Assert.Equal(new Dictionary<StateType, long> { [StateType.Scheduled] = 1, [StateType.Completed] = 1 }, prod);
        Assert.Equal(new Dictionary<StateType, long> { [StateType.Completed] = 1, [StateType.Running] = 1 }, early);
    }

    [Fact]
    public async Task RunQueries_TagFilter_FollowsTagChangesAndDeletes()
    {
        var data = await SeedFilterDataAsync();
        const string Nightly = """{"flow_runs": {"tags": {"all_": ["nightly"]}}, "sort": "NAME_ASC"}""";

        await Silo.FlowRun(data.Beta).UpdateAsync(new FlowRunUpdate { Tags = ["nightly", "adhoc", "nightly"] });
        await Silo.FlowRun(data.AlphaOne).UpdateAsync(new FlowRunUpdate { Tags = ["prod"] });
        var afterUpdate = await Queries.FlowRunPageAsync(Json(Nightly), 100, default);
        var prod = await Queries.FilterFlowRunsAsync(Json("""{"flow_runs": {"tags": {"any_": ["prod"]}}, "sort": "NAME_ASC"}"""), default);
        await Silo.FlowRun(data.Beta).DeleteAsync();
        var afterDelete = await Queries.FlowRunPageAsync(Json(Nightly), 0, default);

        Assert.Equal(["beta"], afterUpdate.Runs.Select(r => r.Name));
        Assert.Equal(["alpha-one", "alpha-two"], prod.Select(r => r.Name));
        Assert.Empty(afterDelete.Runs);
        Assert.Equal(0, afterDelete.Count);
    }
}
