using System.Globalization;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Tests.Conformance;

public abstract partial class StoreConformance
{
    [Fact]
    public async Task Migrator_ReopenedDatabase_KeepsDataAndAppliesEachMigrationOnce()
    {
        var flow = await NewFlowAsync("etl", "prod");
        var run = await RunningFlowRunAsync(flow.Id);
        var before = await AppliedMigrationsAsync(Silo);
        await StopNodeAsync(Silo);

        var reopened = await StartNodeAsync();

        Assert.Equal(ShippedMigrations(), before);
        Assert.Equal(ShippedMigrations(), await AppliedMigrationsAsync(reopened));
        Assert.Equal("etl", (await new Flows.FlowCatalog(reopened).GetAsync(flow.Id, default))!.Name);
        Assert.Equal(StateType.Running, (await reopened.FlowRun(run.Id).GetAsync())!.StateType);
        Assert.Equal(3, (await new Queries.RunQueries(reopened).FlowRunStatesAsync(run.Id, default)).Count);
    }

    [Fact]
    public async Task Migrator_ConcurrentStartsOnNewDatabase_ApplyEachMigrationOnce()
    {
        var database = await NewDatabaseAsync();

        var silos = await AllAtOnceAsync(4, _ => StartNodeAsync(database));

        Assert.Equal(ShippedMigrations(), await AppliedMigrationsAsync(silos[0]));
        var flow = (await new Flows.FlowCatalog(silos[1]).UpsertAsync("etl", [], default)).Flow;
        Assert.Equal(flow.Id, (await new Flows.FlowCatalog(silos[3]).GetByNameAsync("etl", default))!.Id);
    }

    private List<int> ShippedMigrations() => [.. SqlCatalog.Migrations(Dialect).Select(m => m.Version)];

    private static Task<List<int>> AppliedMigrationsAsync(OrleansFlowSilo silo) =>
        silo.Database.ReadAsync(async session =>
        {
            await using var command = session.Text("SELECT version FROM schema_migrations ORDER BY version");
            return await command.ListAsync(r => Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture), default);
        }, default);
}
