using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

[Collection(BrowserCollection.Name)]
public sealed class RunsDeploymentFilterTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task RunsPage_FilterByDeployment_ShowsOnlyThatDeploymentsRunsWithShareableUrl()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var flow = await fixture.Api.FlowAsync("deploy-filter-" + suffix);
        var hourly = await DeploymentAsync(flow, "hourly-" + suffix);
        var daily = await DeploymentAsync(flow, "daily-" + suffix);
        await RunAsync(hourly, "hourly-run-a");
        await RunAsync(hourly, "hourly-run-b");
        await RunAsync(daily, "daily-run");
        await fixture.Api.FlowRunAsync(flow, "manual-run", "COMPLETED");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/runs?flow=deploy-filter-{suffix}");
        await Expect(page.Locator("table.runs tbody tr")).ToHaveCountAsync(4);

        await page.GetByLabel("Deployment", new() { Exact = true }).FillAsync("hourly-" + suffix);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"deployment=hourly-{suffix}"));
        await Expect(page.Locator("table.runs tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("table.runs tbody")).ToContainTextAsync("hourly-run-a");
        await Expect(page.Locator("table.runs tbody")).ToContainTextAsync("hourly-run-b");
        await Expect(page.Locator("#run-count")).ToHaveTextAsync("2");
        await Expect(page.GetByLabel("Deployment", new() { Exact = true })).ToHaveValueAsync("hourly-" + suffix);

        var shared = await fixture.NewPageAsync();
        await shared.GotoAsync($"/runs?deployment=daily-{suffix}");
        await Expect(shared.Locator("table.runs tbody tr")).ToHaveCountAsync(1);
        await Expect(shared.Locator("table.runs tbody tr")).ToContainTextAsync("daily-run");
        await BrowserFixture.ScreenshotAsync(shared, "runs-deployment-filter");

        await shared.GotoAsync($"/runs?deployment=no-such-deployment-{suffix}");
        await Expect(shared.Locator("p.empty")).ToContainTextAsync("No flow runs match.");
        await Expect(shared.Locator("#run-count")).ToHaveTextAsync("0");
    }

    private async Task<Guid> DeploymentAsync(Guid flow, string name)
    {
        using var response = await fixture.Api.Http.PostAsJsonAsync("deployments/", new JsonObject { ["name"] = name, ["flow_id"] = flow.ToString() });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST deployments/ answered {(int)response.StatusCode}: {text}");
        return Guid.Parse((string)JsonNode.Parse(text)!["id"]!);
    }

    private async Task RunAsync(Guid deployment, string name)
    {
        using var response = await fixture.Api.Http.PostAsJsonAsync($"deployments/{deployment}/create_flow_run", new JsonObject { ["name"] = name });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST create_flow_run answered {(int)response.StatusCode}: {text}");
    }
}
