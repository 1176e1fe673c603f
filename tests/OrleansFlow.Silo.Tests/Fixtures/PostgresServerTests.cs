using Npgsql;
using OrleansFlow.Silo.Flows;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Testing;

namespace OrleansFlow.Silo.Tests.Fixtures;

public sealed class PostgresServerTests
{
    [Fact]
    public async Task SharedAsync_CalledTwice_ReturnsTheSameRunningServer()
    {
        var first = await PostgresServer.SharedAsync();
        var second = await PostgresServer.SharedAsync();

        Assert.Same(first, second);
        await using var connection = new NpgsqlConnection(first.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SHOW max_connections", connection);
        var maxConnections = int.Parse((string)(await command.ExecuteScalarAsync())!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(!first.IsThrowaway || maxConnections == 200, $"max_connections is {maxConnections}");
    }

    [Fact]
    public async Task CreateDatabaseAsync_TwoDatabases_DoNotSeeEachOthersData()
    {
        await using var one = await PostgresServer.CreateDatabaseAsync();
        await using var two = await PostgresServer.CreateDatabaseAsync();
        await using var siloOne = await OrleansFlowSilo.StartAsync(one.Options());
        await using var siloTwo = await OrleansFlowSilo.StartAsync(two.Options());

        await new FlowCatalog(siloOne).UpsertAsync("only-in-one", [], default);

        Assert.NotEqual(one.Name, two.Name);
        Assert.StartsWith("postgresql://", one.Url, StringComparison.Ordinal);
        Assert.EndsWith("/" + one.Name, one.Url, StringComparison.Ordinal);
        Assert.NotNull(await new FlowCatalog(siloOne).GetByNameAsync("only-in-one", default));
        Assert.Null(await new FlowCatalog(siloTwo).GetByNameAsync("only-in-one", default));
    }

    [Fact]
    public async Task PostgresTestDatabase_Dispose_DropsTheDatabaseEvenWithOpenConnections()
    {
        var server = await PostgresServer.SharedAsync();
        var database = await PostgresServer.CreateDatabaseAsync();
        var silo = await OrleansFlowSilo.StartAsync(database.Options());
        await new FlowCatalog(silo).UpsertAsync("x", [], default);

        await database.DisposeAsync();
        await silo.DisposeAsync();

        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", database.Name);
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }
}
