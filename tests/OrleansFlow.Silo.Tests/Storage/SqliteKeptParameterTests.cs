using Microsoft.Data.Sqlite;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Tests.Storage;

/// <summary>On SQLite a statement kept by the writer lane's <see cref="StatementCache"/> keeps its parameter objects
/// between uses, and a new use binds its values over them. On a real SQLite file: every use stores its own values, in
/// whatever order it binds them, and a value of an earlier use is never bound to a later one.</summary>
public sealed class SqliteKeptParameterTests : IAsyncLifetime
{
    private const string Insert = "INSERT INTO t (a, b, c) VALUES (@a, @b, @c)";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "orleansflow-kept-" + Guid.NewGuid().ToString("N"));
    private readonly StatementCache _statements = new();
    private SqliteConnection _connection = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "kept.db")};Pooling=False");
        await _connection.OpenAsync();
        await using var create = Session().Text("CREATE TABLE t (a INTEGER, b TEXT, c REAL)");
        await create.ExecuteAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _statements.Clear();
        await _connection.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task EveryUse_StoresItsOwnValues_InTheKeptParameters()
    {
        await RunAsync(Insert, c => c.Add("a", 1).Add("b", "one").Add("c", (double?)null));
        var first = KeptParameters(Insert);
        await RunAsync(Insert, c => c.Add("a", 2).Add("b", "two").Add("c", (double?)2.5));
        var second = KeptParameters(Insert);
        await RunAsync(Insert, c => c.Add("c", (double?)3.5).Add("a", 3).Add("b", (string?)null));

        Assert.Equal(["1|one|", "2|two|2.5", "3||3.5"], await RowsAsync());
        // The second use bound over the first one's parameter objects: nothing new was allocated for them.
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task AUseThatBindsFewerParameters_NeverRunsWithAnEarlierValue()
    {
        const string Concat = "SELECT @a || '-' || @b";
        Assert.Equal("x-y", await ScalarAsync(Concat, c => c.Add("a", "x").Add("b", "y")));

        // @b is not bound this time: SQLite must refuse, not run with the "y" of the first use.
        var unbound = await Assert.ThrowsAsync<InvalidOperationException>(() => ScalarAsync(Concat, c => c.Add("a", "z")));
        Assert.Contains("@b", unbound.Message, StringComparison.Ordinal);

        Assert.Equal("p-q", await ScalarAsync(Concat, c => c.Add("b", "q").Add("a", "p")));
    }

    private DbSession Session() => new(SqlDialect.Sqlite, _connection, null, _statements);

    private async Task RunAsync(string sql, Action<SqlCommand> bind)
    {
        await using var command = Session().Text(sql);
        bind(command);
        await command.ExecuteAsync(CancellationToken.None);
    }

    private async Task<object?> ScalarAsync(string sql, Action<SqlCommand> bind)
    {
        await using var command = Session().Text(sql);
        bind(command);
        return await command.ScalarAsync(CancellationToken.None);
    }

    /// <summary>The parameter objects of the command the cache keeps for <paramref name="sql"/> (rented and handed back).</summary>
    private List<object> KeptParameters(string sql)
    {
        var command = _statements.Rent(_connection, sql, keepParameters: true);
        var parameters = command.Parameters.Cast<object>().ToList();
        _statements.Return(command);
        return parameters;
    }

    private async Task<List<string>> RowsAsync()
    {
        await using var command = Session().Text("SELECT a, b, c FROM t ORDER BY a");
        return await command.ListAsync(
            r => $"{r.GetInt64(0)}|{(r.IsDBNull(1) ? "" : r.GetString(1))}|{(r.IsDBNull(2) ? "" : r.GetDouble(2).ToString(System.Globalization.CultureInfo.InvariantCulture))}",
            CancellationToken.None);
    }
}
