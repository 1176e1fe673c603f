using Npgsql;
using OrleansFlow.Grains.States;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;

namespace OrleansFlow.Silo.Tests.Storage;

/// <summary>On PostgreSQL a parameter must reach the server with the same type whether its value is null or not: Npgsql
/// keeps a statement prepared only while its parameter types stay the same, and a run's update binds times that are null
/// in one state and set in the next. Asked of the real server with <c>pg_typeof</c>.</summary>
public sealed class SqlCommandParameterTests
{
    [Fact]
    public async Task NullAndNonNullValuesOfOneType_ReachPostgresWithTheSameType()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        var now = DateTimeOffset.Parse("2026-12-05T01:00:00+02:00", System.Globalization.CultureInfo.InvariantCulture);

        var cases = new (string Name, Action<SqlCommand> Null, Action<SqlCommand> Set, string Type)[]
        {
            ("time", c => c.Add("p", (DateTimeOffset?)null), c => c.Add("p", (DateTimeOffset?)now), "timestamp with time zone"),
            ("id", c => c.Add("p", (Guid?)null), c => c.Add("p", (Guid?)Guid.NewGuid()), "uuid"),
            ("text", c => c.Add("p", (string?)null), c => c.Add("p", "x"), "text"),
            ("state", c => c.Add("p", (StateType?)null), c => c.Add("p", (StateType?)StateType.Running), "text"),
            ("count", c => c.Add("p", (long?)null), c => c.Add("p", (long?)3), "bigint"),
            ("flag", c => c.Add("p", (bool?)null), c => c.Add("p", (bool?)true), "boolean"),
        };

        foreach (var (name, bindNull, bindSet, type) in cases)
        {
            Assert.True(await TypeOfAsync(connection, bindNull) == type, $"{name}, null: {await TypeOfAsync(connection, bindNull)}");
            Assert.True(await TypeOfAsync(connection, bindSet) == type, $"{name}, set: {await TypeOfAsync(connection, bindSet)}");
        }

        // A null whose type is known only at run time goes untyped ("unknown"), which is what made the types of a
        // statement's parameters change from one execution to the next.
        var untyped = await Assert.ThrowsAsync<PostgresException>(() => TypeOfAsync(connection, c => c.Add("p", (object?)null)));
        Assert.Equal(PostgresErrorCodes.IndeterminateDatatype, untyped.SqlState);
    }

    private static async Task<string> TypeOfAsync(NpgsqlConnection connection, Action<SqlCommand> bind)
    {
        await using var command = new SqlCommand(new NpgsqlCommand("SELECT pg_typeof(@p)::text", connection), SqlDialect.Postgres);
        bind(command);
        return (string)(await command.ScalarAsync(CancellationToken.None))!;
    }
}
