using System.Net;
using Npgsql;
using OrleansFlow.Gateway.Tests.Infrastructure;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;

namespace OrleansFlow.Gateway.Tests.Hardening;

/// <summary>Health and readiness tell the truth about the database; a PostgreSQL URL's parameters are honoured; no
/// password is shown in any form.</summary>
public sealed class DatabaseSettingsTests
{
    [Fact]
    public async Task HealthAndReady_PostgresRefusesConnections_Answer503ThenRecover()
    {
        await using var server = await OwnServer.StartAsync(DatabaseKind.Postgres);
        var api = server.Api;
        (await api.GetAsync("health")).Expect(HttpStatusCode.OK);
        var admin = (await PostgresServer.SharedAsync()).AdminConnectionString;
        var name = server.Postgres!.Name;

        await ExecuteAsync(admin, $"ALTER DATABASE {name} ALLOW_CONNECTIONS false");
        await ExecuteAsync(admin, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()");
        try
        {
            foreach (var probe in new[] { "health", "ready" })
            {
                var down = await api.GetAsync(probe);
                Assert.True(down.Status == HttpStatusCode.ServiceUnavailable, $"{probe}: expected 503 with the database down, got {down}");
            }
        }
        finally
        {
            await ExecuteAsync(admin, $"ALTER DATABASE {name} ALLOW_CONNECTIONS true");
        }

        await Poll.UntilAsync(async () => (await api.GetAsync("health")).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "health back to 200");
        (await api.GetAsync("ready")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Start_PostgresUrlWithSslmodeRequire_IsEncryptedOrRefused()
    {
        var postgres = await PostgresServer.SharedAsync();
        await using var database = await PostgresServer.CreateDatabaseAsync();
        var sslOn = await ScalarAsync(postgres.AdminConnectionString, "SHOW ssl") as string == "on";
        var options = new DatabaseOptions { DatabaseUrl = database.Url + "?sslmode=require&application_name=sslcheck" };

        if (!sslOn)
        {
            // The test server does not speak TLS: "require" must fail the start, never fall back to plain text.
            var error = await Assert.ThrowsAnyAsync<Exception>(() => InProcessServer.StartAsync(options));
            Assert.Contains("SSL", error.ToString(), StringComparison.OrdinalIgnoreCase);
            return;
        }

        await using var server = await InProcessServer.StartAsync(options);
        Assert.Equal(true, await ScalarAsync(postgres.AdminConnectionString,
            $"SELECT bool_and(s.ssl) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.datname = '{database.Name}'"));
    }

    [Theory]
    [InlineData("postgresql://u:p@h:5433/db?sslmode=require", "SSL Mode=Require")]
    [InlineData("postgresql://u:p@h/db?sslmode=verify-full&sslrootcert=/ca.pem", "SSL Mode=VerifyFull")]
    [InlineData("postgresql://u:p@h/db?sslmode=verify-full&sslrootcert=/ca.pem", "Root Certificate=/ca.pem")]
    [InlineData("postgresql://u:p@h/db?connect_timeout=7", "Timeout=7")]
    [InlineData("postgresql://u:p@h/db?target_session_attrs=read-write", "Target Session Attributes=read-write")]
    public void ToConnectionString_LibpqUrlParameters_AreHonoured(string url, string expected)
    {
        Assert.Contains(expected, PostgresDatabase.ToConnectionString(url), StringComparison.Ordinal);
    }

    [Fact]
    public void ToConnectionString_UnknownUrlParameter_FailsNamingIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PostgresDatabase.ToConnectionString("postgresql://u:p@h/db?sslmod=require"));

        Assert.Contains("sslmod", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgresql://user:s3cr3t-pw@host:5432/db")]
    [InlineData("postgresql://user:s3cr3t-pw@host/db?sslmode=require")]
    [InlineData("postgresql://user@host/db?password=s3cr3t-pw&sslmode=require")]
    [InlineData("Host=h;Username=u;Password=s3cr3t-pw;Database=d")]
    [InlineData("Host=h; Username=u; PWD = s3cr3t-pw ;Database=d")]
    [InlineData("host=h;password='s3cr3t-pw;x';database=d")]
    public void Redact_AnyFormOfPassword_IsHidden(string url)
    {
        var shown = DatabaseOptions.Redact(url);

        Assert.DoesNotContain("s3cr3t", shown, StringComparison.Ordinal);
        Assert.Contains("***", shown, StringComparison.Ordinal);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
