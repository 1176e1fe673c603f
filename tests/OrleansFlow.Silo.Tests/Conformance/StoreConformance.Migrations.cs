using System.Globalization;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.GlobalConcurrencyLimits;
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

    [Fact]
    public async Task Migration22_GlobalLimitWithAnInfiniteRate_GetsTheBoundAndListsAgain()
    {
        var catalog = new GlobalConcurrencyLimitCatalog(Silo);
        var limit = (await catalog.CreateAsync(new GlobalConcurrencyLimit { Id = Guid.Empty, Name = "poisoned", Limit = 2 }, default))!;
        // What the API stored before it checked the bounds: 1e309 in a body read as infinity.
        var infinity = Dialect == SqlDialect.Postgres ? "'Infinity'" : "9e999";
        await Silo.Database.WriteAsync(async session =>
        {
            await using var command = session.Text(
                $"UPDATE global_concurrency_limits SET slot_decay_per_second = {infinity}, avg_slot_occupancy_seconds = {infinity} WHERE name = 'poisoned'");
            return await command.ExecuteAsync(default);
        }, default);
        Assert.True(double.IsPositiveInfinity((await catalog.GetAsync(limit.Id, default))!.SlotDecayPerSecond));

        var migration = SqlCatalog.Migrations(Dialect).Single(m => m.Version == 22);
        await Silo.Database.WriteAsync(async session =>
        {
            // As the migrator runs it: the file's statements in one command.
            await using var command = session.Text(migration.Sql);
            return await command.ExecuteAsync(default);
        }, default);

        var fixedLimit = Assert.Single(await catalog.ListAsync(10, 0, default), l => l.Name == "poisoned");
        Assert.Equal(GlobalConcurrencyLimitRules.MaxSlotDecayPerSecond, fixedLimit.SlotDecayPerSecond);
        Assert.Equal(GlobalConcurrencyLimitRules.MaxOccupancySeconds, fixedLimit.AvgSlotOccupancySeconds);
    }

    private List<int> ShippedMigrations() => [.. SqlCatalog.Migrations(Dialect).Select(m => m.Version)];

    private static Task<List<int>> AppliedMigrationsAsync(OrleansFlowSilo silo) =>
        silo.Database.ReadAsync(async session =>
        {
            await using var command = session.Text("SELECT version FROM schema_migrations ORDER BY version");
            return await command.ListAsync(r => Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture), default);
        }, default);
}
