using System.Text;
using System.Text.Json;
using OrleansFlow.Silo.Flows;
using OrleansFlow.Testing;

namespace OrleansFlow.Silo.Tests.Fixtures;

public sealed class InProcessServerTests
{
    [Fact]
    public async Task StartAsync_WithoutDatabase_ServesTheApiOnAFreeLoopbackPort()
    {
        Uri address;
        await using (var server = await InProcessServer.StartAsync())
        {
            using var http = server.CreateClient();
            address = server.BaseAddress;

            var health = await http.GetStringAsync("health");
            using var created = await http.PostAsync("flows/", new StringContent("""{"name": "via-http"}""", Encoding.UTF8, "application/json"));
            var settings = JsonDocument.Parse(await http.GetStringAsync("admin/settings")).RootElement;

            Assert.Equal("true", health);
            Assert.Equal("127.0.0.1", address.Host);
            Assert.NotEqual(0, address.Port);
            Assert.Equal($"http://127.0.0.1:{address.Port}/api", server.ApiUrl);
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
            Assert.NotNull(await new FlowCatalog(server.Silo).GetByNameAsync("via-http", default));
            Assert.Equal("Sqlite", settings.GetProperty("dialect").GetString());
        }

        using var after = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Assert.ThrowsAsync<HttpRequestException>(() => after.GetAsync(new Uri(address, "api/health")));
    }

    [Fact]
    public async Task StartAsync_OnPostgresWithManualClock_UsesThatDatabaseAndClock()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        var clock = new ManualClock(new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero));
        await using var server = await InProcessServer.StartAsync(database.Options(), clock);
        using var http = server.CreateClient();

        using var created = await http.PostAsync("flows/", new StringContent("""{"name": "on-postgres"}""", Encoding.UTF8, "application/json"));
        var flow = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var settings = JsonDocument.Parse(await http.GetStringAsync("admin/settings")).RootElement;

        Assert.Equal("Postgres", settings.GetProperty("dialect").GetString());
        Assert.Equal(new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero), flow.GetProperty("created").GetDateTimeOffset());
    }
}
