using System.Text.Json;
using OrleansFlow.Testing;

namespace OrleansFlow.Silo.Tests.Fixtures;

public sealed class ServerProcessTests
{
    [Fact]
    public async Task StartAsync_WithoutDatabase_RunsARealServerProcessUntilDisposed()
    {
        var server = await ServerProcess.StartAsync();
        var address = server.BaseAddress;
        var pid = server.ProcessId;
        try
        {
            using var http = server.CreateClient();
            var settings = JsonDocument.Parse(await http.GetStringAsync("admin/settings")).RootElement;

            Assert.NotEqual(Environment.ProcessId, pid);
            Assert.Equal("Sqlite", settings.GetProperty("dialect").GetString());
            Assert.Contains("orleansflow-home", settings.GetProperty("database").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.False(IsRunning(pid));
        using var after = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Assert.ThrowsAsync<HttpRequestException>(() => after.GetAsync(new Uri(address, "api/health")));
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
