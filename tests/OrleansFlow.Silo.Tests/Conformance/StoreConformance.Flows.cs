namespace OrleansFlow.Silo.Tests.Conformance;

public abstract partial class StoreConformance
{
    [Fact]
    public async Task FlowCatalog_UpsertExistingName_ReturnsFirstFlowNotCreated()
    {
        var (first, firstCreated) = await Flows.UpsertAsync("etl", ["prod"], default);
        Clock.Advance(TimeSpan.FromMinutes(1));

        var (second, secondCreated) = await Flows.UpsertAsync("etl", ["other"], default);

        Assert.True(firstCreated);
        Assert.False(secondCreated);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(["prod"], second.Tags);
        Assert.Equal(Start, second.Created);
    }

    [Fact]
    public async Task FlowCatalog_GetByIdAndByName_ReturnStoredFlowOrNull()
    {
        var flow = await NewFlowAsync("etl", "prod", "nightly");
        await NewFlowAsync("report");

        var byId = await Flows.GetAsync(flow.Id, default);
        var byName = await Flows.GetByNameAsync("etl", default);

        Assert.Equal((flow.Id, "etl", Start), (byId!.Id, byId.Name, byId.Created));
        Assert.Equal(["prod", "nightly"], byId.Tags);
        Assert.Equal(flow.Id, byName!.Id);
        Assert.Null(await Flows.GetAsync(Guid.NewGuid(), default));
        Assert.Null(await Flows.GetByNameAsync("missing", default));
    }

    [Fact]
    public async Task FlowCatalog_UpdateTags_ReplacesTagsAndUpdatedTime()
    {
        var flow = await NewFlowAsync("etl", "prod");
        Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.True(await Flows.UpdateTagsAsync(flow.Id, ["staging", "v2"], default));

        var updated = await Flows.GetAsync(flow.Id, default);
        Assert.Equal(["staging", "v2"], updated!.Tags);
        Assert.Equal(Start, updated.Created);
        Assert.Equal(Start.AddMinutes(5), updated.Updated);
        Assert.Equal(1, await Queries.CountFlowsAsync(Json("""{"flows": {"tags": {"all_": ["v2"]}}}"""), default));
        Assert.Equal(0, await Queries.CountFlowsAsync(Json("""{"flows": {"tags": {"all_": ["prod"]}}}"""), default));
        Assert.False(await Flows.UpdateTagsAsync(Guid.NewGuid(), ["x"], default));
    }

    [Fact]
    public async Task FlowCatalog_Delete_RemovesOnlyThatFlow()
    {
        var flow = await NewFlowAsync("etl");
        var other = await NewFlowAsync("report");

        Assert.True(await Flows.DeleteAsync(flow.Id, default));

        Assert.Null(await Flows.GetAsync(flow.Id, default));
        Assert.False(await Flows.DeleteAsync(flow.Id, default));
        Assert.Equal("report", (await Flows.GetAsync(other.Id, default))!.Name);
        var (again, created) = await Flows.UpsertAsync("etl", [], default);
        Assert.True(created);
        Assert.NotEqual(flow.Id, again.Id);
    }

    [Fact]
    public async Task FlowCatalog_Delete_RemovesItsRunsTaskRunsAndStatesOnly()
    {
        var flow = await NewFlowAsync("etl");
        var other = await NewFlowAsync("report");
        var run = await RunningFlowRunAsync(flow.Id);
        var task = await NewTaskRunAsync(run.Id);
        var otherRun = await RunningFlowRunAsync(other.Id);
        var otherTask = await NewTaskRunAsync(otherRun.Id);

        Assert.True(await Flows.DeleteAsync(flow.Id, default));

        Assert.Null(await Silo.FlowRun(run.Id).GetAsync());
        Assert.Empty(await Queries.FlowRunStatesAsync(run.Id, default));
        Assert.Null(await Silo.TaskRun(task.Id).GetAsync());
        Assert.Empty(await Queries.TaskRunStatesAsync(task.Id, default));
        Assert.NotNull(await Silo.FlowRun(otherRun.Id).GetAsync());
        Assert.Equal(3, (await Queries.FlowRunStatesAsync(otherRun.Id, default)).Count);
        Assert.NotNull(await Silo.TaskRun(otherTask.Id).GetAsync());
        Assert.Equal(1, await Queries.CountFlowRunsAsync(Json("{}"), default));
    }
}
