using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using OrleansFlow.Gateway.Tests.Infrastructure;
using OrleansFlow.Testing;

namespace OrleansFlow.Gateway.Tests.Security;

/// <summary>Issue 13's authentication: API keys (hashed at rest, shown once, expiring, revocable) with the roles
/// read_only, runner and admin, presented as Prefect clients present them (bearer, or basic with the key as password).</summary>
public sealed class AuthenticationTests
{
    public static TheoryData<DatabaseKind> Databases => new() { DatabaseKind.Sqlite, DatabaseKind.Postgres };

    /// <summary>Kinds of route, each a request and the lowest role that may send it.</summary>
    private static readonly (string Name, HttpMethod Method, string Path, Func<(Guid Flow, Guid Run), object?> Body, string Lowest)[] Routes =
    [
        ("read: GET a flow", HttpMethod.Get, "flows/{flow}", _ => null, "read_only"),
        ("read: POST filter", HttpMethod.Post, "flows/filter", _ => new { }, "read_only"),
        ("read: POST count", HttpMethod.Post, "flow_runs/count", _ => new { }, "read_only"),
        ("runner: create a flow", HttpMethod.Post, "flows/", _ => new { name = "f-" + Guid.NewGuid().ToString("N")[..8] }, "runner"),
        ("runner: create a flow run", HttpMethod.Post, "flow_runs/", ids => new { flow_id = ids.Flow, state = new { type = "PENDING" } }, "runner"),
        ("runner: write logs", HttpMethod.Post, "logs/", ids => new[] { new { name = "l", level = 20, message = "m", timestamp = DateTimeOffset.UtcNow, flow_run_id = ids.Run } }, "runner"),
        ("admin: create a deployment", HttpMethod.Post, "deployments/", ids => new { name = "d-" + Guid.NewGuid().ToString("N")[..8], flow_id = ids.Flow }, "admin"),
        ("admin: create a work pool", HttpMethod.Post, "work_pools/", _ => new { name = "p-" + Guid.NewGuid().ToString("N")[..8], type = "process" }, "admin"),
        ("admin: list API keys", HttpMethod.Get, "api_keys/", _ => null, "admin"),
        ("admin: delete a flow", HttpMethod.Delete, "flows/{other}", _ => null, "admin"),
        ("admin: read secrets", HttpMethod.Get, "block_documents/{block}?include_secrets=true", _ => null, "admin"),
        ("admin: filter with secrets", HttpMethod.Post, "block_documents/filter", _ => new { include_secrets = true }, "admin"),
    ];

    private static readonly string[] RoleOrder = ["read_only", "runner", "admin"];

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task EachRole_OnEachKindOfRoute_IsAllowedFromItsRoleUpAndGets403Below(DatabaseKind kind)
    {
        await using var server = await AuthServer.StartAsync(kind);
        var keys = new Dictionary<string, string>();
        foreach (var role in RoleOrder)
        {
            keys[role] = (await server.CreateKeyAsync(role)).Key;
        }

        var admin = AuthServer.AdminKey;
        var flow = (await server.AsAsync(admin, HttpMethod.Post, "flows/", new { name = "auth-flow" })).Expect(HttpStatusCode.Created).Id;
        var run = (await server.AsAsync(admin, HttpMethod.Post, "flow_runs/", new { flow_id = flow, state = new { type = "RUNNING" } })).Expect(HttpStatusCode.Created).Id;
        var block = await CreateSecretBlockAsync(server);
        var failures = new List<string>();
        foreach (var route in Routes)
        {
            foreach (var role in RoleOrder)
            {
                var other = (await server.AsAsync(admin, HttpMethod.Post, "flows/", new { name = "gone-" + Guid.NewGuid().ToString("N")[..8] })).Id;
                var path = route.Path.Replace("{flow}", flow.ToString(), StringComparison.Ordinal)
                    .Replace("{other}", other.ToString(), StringComparison.Ordinal).Replace("{block}", block.ToString(), StringComparison.Ordinal);
                var response = await server.AsAsync(keys[role], route.Method, path, route.Body((flow, run)));
                var allowed = Array.IndexOf(RoleOrder, role) >= Array.IndexOf(RoleOrder, route.Lowest);
                var ok = allowed ? response.Code is >= 200 and < 300 : response.Code == 403;
                if (!ok)
                {
                    failures.Add($"{route.Name} as {role}: expected {(allowed ? "2xx" : "403")}, got {response}");
                }
            }

            // No key at all: 401, with the scheme to use.
            var anonymous = await server.AsAsync(null, route.Method, route.Path.Replace("{flow}", flow.ToString(), StringComparison.Ordinal)
                .Replace("{other}", flow.ToString(), StringComparison.Ordinal).Replace("{block}", block.ToString(), StringComparison.Ordinal), route.Body((flow, run)));
            if (anonymous.Code != 401)
            {
                failures.Add($"{route.Name} without a key: expected 401, got {anonymous}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // The read-only key sees the block, but not its secret.
        var masked = (await server.AsAsync(keys["read_only"], HttpMethod.Get, $"block_documents/{block}")).Expect(HttpStatusCode.OK);
        Assert.DoesNotContain("hunter2-secret", masked.Text, StringComparison.Ordinal);
        var revealed = (await server.AsAsync(keys["admin"], HttpMethod.Get, $"block_documents/{block}?include_secrets=true")).Expect(HttpStatusCode.OK);
        Assert.Contains("hunter2-secret", revealed.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AnonymousProbes_AnswerWithoutAKey_AndAWrongKeyGets401(DatabaseKind kind)
    {
        await using var server = await AuthServer.StartAsync(kind);
        foreach (var path in new[] { "health", "ready", "hello", "version", "admin/version" })
        {
            (await server.AsAsync(null, HttpMethod.Get, path)).Expect(HttpStatusCode.OK);
        }

        var missing = await server.AsAsync(null, HttpMethod.Post, "flows/filter", new { });
        Assert.Equal(401, missing.Code);
        Assert.Contains("Authorization: Bearer", missing.Text, StringComparison.Ordinal);
        Assert.Equal(401, (await server.AsAsync("ofk_not-a-key-anyone-made", HttpMethod.Post, "flows/filter", new { })).Code);
        Assert.Equal(401, (await server.SendAsync(HttpMethod.Post, "flows/filter", new { }, new AuthenticationHeaderValue("Digest", "x"))).Code);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task BearerAndBasic_BothAuthenticate_BasicTakesTheKeyAsThePassword(DatabaseKind kind)
    {
        await using var server = await AuthServer.StartAsync(kind);
        var (_, runner) = await server.CreateKeyAsync("runner");

        (await server.SendAsync(HttpMethod.Post, "flows/", new { name = "bearer-flow" }, AuthServer.Bearer(runner))).Expect(HttpStatusCode.Created);
        // PREFECT_API_AUTH_STRING="user:KEY" is sent as Basic base64(user:KEY).
        (await server.SendAsync(HttpMethod.Post, "flows/", new { name = "basic-flow" }, AuthServer.Basic("prefect", runner))).Expect(HttpStatusCode.Created);
        (await server.SendAsync(HttpMethod.Post, "flows/", new { name = "basic-admin" }, AuthServer.Basic("admin", AuthServer.AdminKey))).Expect(HttpStatusCode.Created);
        Assert.Equal(401, (await server.SendAsync(HttpMethod.Post, "flows/", new { name = "basic-wrong" }, AuthServer.Basic("prefect", runner + "x"))).Code);
        Assert.Equal(401, (await server.SendAsync(HttpMethod.Post, "flows/", new { name = "basic-user-only" }, AuthServer.Basic(runner, ""))).Code);
        Assert.Equal(401, (await server.SendAsync(HttpMethod.Post, "flows/", new { name = "basic-garbage" }, new AuthenticationHeaderValue("Basic", "%%%"))).Code);
        Assert.Equal(3, await CountFlowsAsync(server, "bearer-flow", "basic-flow", "basic-admin", "basic-wrong", "basic-user-only", "basic-garbage"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ExpiredAndRevokedKeys_Get401_AndTheListingShowsThemWithoutKeyMaterial(DatabaseKind kind)
    {
        await using var server = await AuthServer.StartAsync(kind);
        var (expiringId, expiring) = await server.CreateKeyAsync("runner", server.Clock.GetUtcNow().AddHours(1));
        var (revokedId, revoked) = await server.CreateKeyAsync("admin");
        var (_, kept) = await server.CreateKeyAsync("read_only");

        (await server.AsAsync(expiring, HttpMethod.Post, "flows/filter", new { })).Expect(HttpStatusCode.OK);
        (await server.AsAsync(revoked, HttpMethod.Post, "flows/filter", new { })).Expect(HttpStatusCode.OK);

        server.Clock.Advance(TimeSpan.FromHours(2));
        (await server.AsAsync(AuthServer.AdminKey, HttpMethod.Delete, $"api_keys/{revokedId}")).Expect(HttpStatusCode.NoContent);
        Assert.Equal(401, (await server.AsAsync(expiring, HttpMethod.Post, "flows/filter", new { })).Code);
        Assert.Equal(401, (await server.AsAsync(revoked, HttpMethod.Post, "flows/filter", new { })).Code);
        (await server.AsAsync(kept, HttpMethod.Post, "flows/filter", new { })).Expect(HttpStatusCode.OK);

        var listing = (await server.AsAsync(AuthServer.AdminKey, HttpMethod.Get, "api_keys/")).Expect(HttpStatusCode.OK);
        foreach (var key in new[] { expiring, revoked, kept })
        {
            Assert.DoesNotContain(key, listing.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(Sha256(key), listing.Text, StringComparison.Ordinal);
        }

        var rows = listing.Array.Select(n => n!.AsObject()).ToDictionary(n => Guid.Parse(n["id"]!.GetValue<string>()));
        Assert.False(rows[expiringId]["active"]!.GetValue<bool>());
        Assert.NotNull(rows[revokedId]["revoked"]);
        Assert.False(rows[revokedId]["active"]!.GetValue<bool>());
        Assert.All(rows.Values, row => Assert.Null(row["key"]));
        Assert.Equal(404, (await server.AsAsync(AuthServer.AdminKey, HttpMethod.Delete, $"api_keys/{Guid.NewGuid()}")).Code);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task CreatedKeys_AreStoredAsTheirSha256Only(DatabaseKind kind)
    {
        await using var server = await AuthServer.StartAsync(kind);
        var (_, key) = await server.CreateKeyAsync("runner");
        var stored = new List<string>();
        if (kind == DatabaseKind.Sqlite)
        {
            await using var connection = new SqliteConnection($"Data Source={server.Server.Database.SqlitePath};Mode=ReadOnly");
            await connection.OpenAsync();
            await using var command = new SqliteCommand("SELECT * FROM api_keys", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                stored.AddRange(Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? ""));
            }
        }
        else
        {
            await using var connection = new NpgsqlConnection(server.Server.Postgres!.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT * FROM api_keys", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                stored.AddRange(Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? ""));
            }
        }

        Assert.DoesNotContain(stored, value => value.Contains(key, StringComparison.Ordinal));
        Assert.Contains(Sha256(key), stored);
        Assert.StartsWith("ofk_", key, StringComparison.Ordinal);
        Assert.True(key.Length >= 40, key);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task CreateKey_WithBadFields_Answers422NamingThem(DatabaseKind kind)
    {
        await using var server = await AuthServer.StartAsync(kind);
        var badRole = await server.AsAsync(AuthServer.AdminKey, HttpMethod.Post, "api_keys/", new { name = "x", role = "root" });
        Assert.Equal(422, badRole.Code);
        Assert.Contains("body.role", badRole.ErrorLocations);
        var past = await server.AsAsync(AuthServer.AdminKey, HttpMethod.Post, "api_keys/", new { name = "x", role = "runner", expires = server.Clock.GetUtcNow().AddMinutes(-1) });
        Assert.Equal(422, past.Code);
        Assert.Contains("body.expires", past.ErrorLocations);
        var noName = await server.AsAsync(AuthServer.AdminKey, HttpMethod.Post, "api_keys/", new { role = "runner" });
        Assert.Equal(422, noName.Code);
        Assert.Contains("body.name", noName.ErrorLocations);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task RequireApiKey_WithAnAdminKeyInTheDatabase_StartsAndUsesIt(DatabaseKind kind)
    {
        // A first start with --api-key makes a stored admin key; a later start needs only --require-api-key.
        using var files = new SqliteFiles();
        await using var postgres = kind == DatabaseKind.Postgres ? await PostgresServer.CreateDatabaseAsync() : null;
        var database = postgres?.Options() ?? files.NewDatabase();
        string stored;
        await using (var first = await InProcessServer.StartAsync(database, configure: options =>
        {
            options.BackgroundProcesses = false;
            options.ApiKey = AuthServer.AdminKey;
        }))
        {
            using var admin = first.CreateClient();
            admin.DefaultRequestHeaders.Authorization = AuthServer.Bearer(AuthServer.AdminKey);
            using var created = await admin.PostAsync("api_keys/", new StringContent("""{"name": "ops", "role": "admin"}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            stored = AuthServer.Parse(await created.Content.ReadAsStringAsync())["key"]!.GetValue<string>();
        }

        await using var second = await InProcessServer.StartAsync(database, configure: options =>
        {
            options.BackgroundProcesses = false;
            options.RequireApiKey = true;
        });
        using var http = second.CreateClient();
        using var anonymous = await http.PostAsync("flows/filter", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        http.DefaultRequestHeaders.Authorization = AuthServer.Bearer(stored);
        using var allowed = await http.PostAsync("flows/filter", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        http.DefaultRequestHeaders.Authorization = AuthServer.Bearer(AuthServer.AdminKey);
        using var serverKeyGone = await http.PostAsync("flows/filter", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, serverKeyGone.StatusCode);
    }

    [Fact]
    public async Task RequireApiKey_WithNoAdminKeyAnywhere_RefusesToStart()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => InProcessServer.StartAsync(configure: options => options.RequireApiKey = true));
        Assert.Contains("no active admin key", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.0.2.10")]
    public async Task NonLoopbackAddress_WithoutCredentials_RefusesToStartUnlessInsecure(string host)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => InProcessServer.StartAsync(configure: options => options.Host = host));
        Assert.Contains("--api-key", error.Message, StringComparison.Ordinal);
        Assert.Contains("--insecure", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => new ServerOptions { Host = host, ApiKey = "short" }.Validate());
        new ServerOptions { Host = host, ApiKey = AuthServer.AdminKey }.Validate();
        new ServerOptions { Host = host, Insecure = true }.Validate();
        new ServerOptions { Host = "::1" }.Validate();
        new ServerOptions { Host = "localhost" }.Validate();
    }

    private static async Task<Guid> CreateSecretBlockAsync(AuthServer server)
    {
        var admin = AuthServer.AdminKey;
        (await server.AsAsync(admin, HttpMethod.Post, "block_types/install_system_block_types", new { })).Expect(HttpStatusCode.OK);
        var typeId = (await server.AsAsync(admin, HttpMethod.Get, "block_types/slug/secret")).Expect(HttpStatusCode.OK).Id;
        var schemas = (await server.AsAsync(admin, HttpMethod.Post, "block_schemas/filter", new { block_schemas = new { block_type_id = new { any_ = new[] { typeId } } } })).Expect(HttpStatusCode.OK).Array;
        var schemaId = Guid.Parse(schemas[0]!["id"]!.GetValue<string>());
        return (await server.AsAsync(admin, HttpMethod.Post, "block_documents/", new
        {
            name = "auth-secret",
            block_type_id = typeId,
            block_schema_id = schemaId,
            data = new { value = "hunter2-secret" },
        })).Expect(HttpStatusCode.Created).Id;
    }

    private static async Task<int> CountFlowsAsync(AuthServer server, params string[] names) =>
        (await server.AsAsync(AuthServer.AdminKey, HttpMethod.Post, "flows/filter", new { flows = new { name = new { any_ = names } } })).Array.Count;

    private static string Sha256(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
