using System.Net;
using System.Text.Json.Nodes;
using OrleansFlow.Testing;

namespace OrleansFlow.Gateway.Tests.Hardening;

/// <summary>The Orleans Dashboard starts after the server answers (docs/performance.md, cold start): it is still served
/// at /dashboard, and its grain is activated and counts the silo without a dashboard request asking for it.</summary>
public sealed class DashboardStartTests
{
    [Fact]
    public async Task Dashboard_StartedAfterTheServer_ServesPageAndCountsTheSilo()
    {
        await using var server = await InProcessServer.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

        // Without the trailing slash: the permanent redirect that makes the page's relative asset paths resolve.
        using var bare = await http.GetAsync("dashboard");
        Assert.Equal(HttpStatusCode.MovedPermanently, bare.StatusCode);
        Assert.Equal("/dashboard/", bare.Headers.Location!.OriginalString);
        using var page = await http.GetAsync("dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        // The deferred start activates the dashboard's grain: the counters list it and the silo, active.
        await Poll.UntilAsync(async () =>
        {
            using var response = await http.GetAsync("dashboard/DashboardCounters");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            var counters = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            return counters["hosts"]!.AsArray().Any(host => host!["status"]!.GetValue<string>() == "Active")
                && counters["simpleGrainStats"]!.AsArray().Any(stat => stat!["grainType"]!.GetValue<string>().EndsWith(".DashboardGrain", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(60), "the dashboard to count the active silo and its own grain");
    }

    [Fact]
    public async Task NoDashboard_DashboardPathIsNotServed()
    {
        await using var server = await InProcessServer.StartAsync(configure: options => options.Dashboard = false);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var counters = await http.GetAsync("dashboard/DashboardCounters");
        Assert.NotEqual(HttpStatusCode.OK, counters.StatusCode);
    }
}
