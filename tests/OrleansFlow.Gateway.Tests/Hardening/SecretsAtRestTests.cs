using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrleansFlow.Gateway.Tests.Infrastructure;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;

namespace OrleansFlow.Gateway.Tests.Hardening;

/// <summary>Secret fields of block documents are sealed (AES-256-GCM) before they reach the database, opened only for
/// <c>include_secrets</c>, sealed again under a new key after a rotation, and the SQLite file and the key file are
/// readable by their owner alone.</summary>
public sealed class SecretsAtRestTests
{
    private static readonly string KeyA = SecretKeyRing.NewKey();
    private static readonly string KeyB = SecretKeyRing.NewKey();

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task SecretBlock_NeverInClearInTheDatabase_OpenedOnlyWithIncludeSecrets(DatabaseKind kind)
    {
        await using var store = await Store.CreateAsync(kind);
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
        Guid id;
        await using (var server = await store.StartAsync(KeyA))
        {
            var api = Api(server);
            id = await CreateSecretBlockAsync(api, "db-password", secret);
            var plain = (await api.GetAsync($"block_documents/{id}")).Expect(HttpStatusCode.OK).Object;
            var revealed = (await api.GetAsync($"block_documents/{id}?include_secrets=true")).Expect(HttpStatusCode.OK).Object;
            var filtered = (await api.PostAsync("block_documents/filter", new { })).Expect(HttpStatusCode.OK).Array;

            Assert.Equal("********", plain["data"]!["value"]!.GetValue<string>());
            Assert.Equal(secret, revealed["data"]!["value"]!.GetValue<string>());
            Assert.DoesNotContain(secret, filtered.ToJsonString(), StringComparison.Ordinal);

            // Posting back what was read (asterisks) keeps the secret.
            (await api.PatchAsync($"block_documents/{id}", new { data = new { value = "********" } })).Expect(HttpStatusCode.NoContent);
            var kept = (await api.GetAsync($"block_documents/{id}?include_secrets=true")).Expect(HttpStatusCode.OK).Object;
            Assert.Equal(secret, kept["data"]!["value"]!.GetValue<string>());
        }

        var raw = await store.RawDataAsync(id);
        Assert.StartsWith(SecretKeyRing.Prefix, raw["value"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(await store.ContainsAsync(secret), "the secret is in the database in clear");
        Assert.NotEmpty(store.Logged);
        Assert.DoesNotContain(store.Logged, line => line.Contains(secret, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Rotation_PreviousKeyOpensAndStartSealsAgain_ThenTheOldKeyCanGo(DatabaseKind kind)
    {
        await using var store = await Store.CreateAsync(kind);
        var secret = "rotated-" + Guid.NewGuid().ToString("N");
        var legacy = "legacy-" + Guid.NewGuid().ToString("N");
        Guid id, legacyId;
        await using (var server = await store.StartAsync(KeyA))
        {
            var api = Api(server);
            id = await CreateSecretBlockAsync(api, "rotated", secret);
            legacyId = await CreateSecretBlockAsync(api, "legacy", "placeholder");
        }

        // A document written before secrets were sealed holds its secret in clear.
        await store.SetRawDataAsync(legacyId, new JsonObject { ["value"] = legacy });
        var keyIdA = SecretKeyRing.KeyIdOf((await store.RawDataAsync(id))["value"]!.GetValue<string>());

        await using (var server = await store.StartAsync(KeyB, previous: KeyA))
        {
            var api = Api(server);
            Assert.Equal(secret, (await api.GetAsync($"block_documents/{id}?include_secrets=true")).Expect(HttpStatusCode.OK).Object["data"]!["value"]!.GetValue<string>());
        }

        var keyIdB = SecretKeyRing.KeyIdOf((await store.RawDataAsync(id))["value"]!.GetValue<string>());
        Assert.NotEqual(keyIdA, keyIdB);
        Assert.Equal(keyIdB, SecretKeyRing.KeyIdOf((await store.RawDataAsync(legacyId))["value"]!.GetValue<string>()));
        if (kind == DatabaseKind.Postgres)
        {
            // (On SQLite the bytes of the row this test wrote in clear may linger in free pages and the WAL.)
            Assert.False(await store.ContainsAsync(legacy), "the legacy secret stayed in clear");
        }

        await using (var server = await store.StartAsync(KeyB))
        {
            var api = Api(server);
            Assert.Equal(secret, (await api.GetAsync($"block_documents/{id}?include_secrets=true")).Expect(HttpStatusCode.OK).Object["data"]!["value"]!.GetValue<string>());
            Assert.Equal(legacy, (await api.GetAsync($"block_documents/{legacyId}?include_secrets=true")).Expect(HttpStatusCode.OK).Object["data"]!["value"]!.GetValue<string>());
        }

        // With a key that opens nothing, reads still answer: the value stays sealed and is never shown in clear.
        await using (var server = await store.StartAsync(SecretKeyRing.NewKey()))
        {
            var api = Api(server);
            var plain = (await api.GetAsync($"block_documents/{id}")).Expect(HttpStatusCode.OK).Object;
            var revealed = (await api.GetAsync($"block_documents/{id}?include_secrets=true")).Expect(HttpStatusCode.OK).Object;
            Assert.Equal("********", plain["data"]!["value"]!.GetValue<string>());
            Assert.StartsWith(SecretKeyRing.Prefix, revealed["data"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task FirstStart_CreatesTheDatabaseAndTheKeyFileForTheOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var files = new SqliteFiles();
        var home = Path.Combine(files.Folder, "home");
        await using (var server = await InProcessServer.StartAsync(new DatabaseOptions { Home = home }))
        {
            var api = Api(server);
            await CreateSecretBlockAsync(api, "perm", "x");
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(home));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(home, "orleansflow.db")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(home, "secrets.key")));
        Assert.Equal(32, Convert.FromBase64String(await File.ReadAllTextAsync(Path.Combine(home, "secrets.key"))).Length);
    }

    [Fact]
    public async Task ABadKey_RefusesToStartNamingTheSetting()
    {
        using var files = new SqliteFiles();
        var options = files.NewDatabase();
        options.SecretsKey = "not-a-key";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => InProcessServer.StartAsync(options));

        Assert.Contains("ORLEANSFLOW_SECRETS_KEY", error.Message, StringComparison.Ordinal);
    }

    private static PrefectApi Api(InProcessServer server) => new(new HttpClient { BaseAddress = server.BaseAddress });

    private static async Task<Guid> CreateSecretBlockAsync(PrefectApi api, string name, string value)
    {
        var type = (await api.GetAsync("block_types/slug/secret")).Expect(HttpStatusCode.OK).Object;
        var schemas = (await api.PostAsync("block_schemas/filter", new { block_schemas = new { block_type_id = new { any_ = new[] { PrefectApi.IdOf(type) } } } }))
            .Expect(HttpStatusCode.OK).Array;
        var created = (await api.PostAsync("block_documents/", new
        {
            name,
            block_type_id = PrefectApi.IdOf(type),
            block_schema_id = PrefectApi.IdOf(schemas[0]!),
            data = new { value },
        })).Expect(HttpStatusCode.Created).Object;
        return PrefectApi.IdOf(created);
    }

    /// <summary>One database (a SQLite file or a PostgreSQL database) that servers with different keys open in turn, and
    /// raw access to its rows and bytes.</summary>
    private sealed class Store : IAsyncDisposable
    {
        private readonly SqliteFiles? _files;
        private readonly PostgresTestDatabase? _postgres;
        private readonly string? _sqlitePath;

        private Store(SqliteFiles? files, PostgresTestDatabase? postgres)
        {
            _files = files;
            _postgres = postgres;
            _sqlitePath = files?.NewPath();
        }

        public static async Task<Store> CreateAsync(DatabaseKind kind) =>
            kind == DatabaseKind.Sqlite ? new Store(new SqliteFiles(), null) : new Store(null, await PostgresServer.CreateDatabaseAsync());

        /// <summary>Every message every server of this store logged, at every level.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<string> Logged { get; } = new();

        public Task<InProcessServer> StartAsync(string key, params string[] previous)
        {
            var options = _files is not null ? _files.Options(_sqlitePath!) : _postgres!.Options();
            options.SecretsKey = key;
            options.PreviousSecretsKeys = previous;
            return InProcessServer.StartAsync(options, configure: o => o.BackgroundProcesses = false,
                logging: logging => logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace).AddProvider(new RecordingLoggerProvider(Logged)));
        }

        public async Task<JsonObject> RawDataAsync(Guid id)
        {
            if (_postgres is not null)
            {
                await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT data::text FROM block_documents WHERE id = @id", connection) { Parameters = { new("id", id) } };
                return JsonNode.Parse((string)(await command.ExecuteScalarAsync())!)!.AsObject();
            }

            await using var sqlite = Sqlite();
            await sqlite.OpenAsync();
            await using var read = sqlite.CreateCommand();
            read.CommandText = "SELECT data FROM block_documents WHERE id = $id";
            read.Parameters.AddWithValue("$id", id.ToString());
            return JsonNode.Parse((string)(await read.ExecuteScalarAsync())!)!.AsObject();
        }

        public async Task SetRawDataAsync(Guid id, JsonObject data)
        {
            if (_postgres is not null)
            {
                await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("UPDATE block_documents SET data = @data::jsonb WHERE id = @id", connection)
                {
                    Parameters = { new("id", id), new("data", data.ToJsonString()) },
                };
                Assert.Equal(1, await command.ExecuteNonQueryAsync());
                return;
            }

            await using var sqlite = Sqlite();
            await sqlite.OpenAsync();
            await using var write = sqlite.CreateCommand();
            write.CommandText = "UPDATE block_documents SET data = $data WHERE id = $id";
            write.Parameters.AddWithValue("$id", id.ToString());
            write.Parameters.AddWithValue("$data", data.ToJsonString());
            Assert.Equal(1, await write.ExecuteNonQueryAsync());
        }

        /// <summary>Whether <paramref name="text"/> appears anywhere: in the bytes of the SQLite file and its WAL, or in
        /// any row of any table of the PostgreSQL database.</summary>
        public async Task<bool> ContainsAsync(string text)
        {
            if (_postgres is not null)
            {
                await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
                await connection.OpenAsync();
                var tables = new List<string>();
                await using (var list = new NpgsqlCommand("SELECT quote_ident(table_name) FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'", connection))
                await using (var reader = await list.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        tables.Add(reader.GetString(0));
                    }
                }

                foreach (var table in tables)
                {
                    await using var search = new NpgsqlCommand($"SELECT count(*) FROM {table} t WHERE strpos(t::text, @text) > 0", connection) { Parameters = { new("text", text) } };
                    if ((long)(await search.ExecuteScalarAsync())! > 0)
                    {
                        return true;
                    }
                }

                return false;
            }

            SqliteConnection.ClearAllPools();
            var needle = Encoding.UTF8.GetBytes(text);
            foreach (var path in new[] { _sqlitePath!, _sqlitePath + "-wal" }.Where(File.Exists))
            {
                if (File.ReadAllBytes(path).AsSpan().IndexOf(needle) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        public async ValueTask DisposeAsync()
        {
            _files?.Dispose();
            if (_postgres is not null)
            {
                await _postgres.DisposeAsync();
            }
        }

        private SqliteConnection Sqlite() => new($"Data Source={_sqlitePath}");
    }
}

/// <summary>Records every message of every logger, with its exception.</summary>
internal sealed class RecordingLoggerProvider(System.Collections.Concurrent.ConcurrentQueue<string> lines) : Microsoft.Extensions.Logging.ILoggerProvider
{
    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<string> lines) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
