using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

[Collection(BrowserCollection.Name)]
public sealed class RunsPageTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task RunsPage_FilterByStateFlowAndTag_ShowsOnlyMatchingRunsWithShareableUrl()
    {
        var flowName = "filter-" + Guid.NewGuid().ToString("N")[..6];
        var flow = await fixture.Api.FlowAsync(flowName);
        await fixture.Api.FlowRunAsync(flow, "red-fox", "FAILED", ["prod"]);
        await fixture.Api.FlowRunAsync(flow, "blue-fox", "FAILED", ["dev"]);
        await fixture.Api.FlowRunAsync(flow, "green-fox", "COMPLETED", ["prod"]);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/runs");

        await page.GetByLabel("Flow", new() { Exact = true }).FillAsync(flowName);
        await page.Locator("input[name=state][value=FAILED]").CheckAsync();
        await page.GetByLabel("Tag", new() { Exact = true }).FillAsync("prod");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("state=FAILED"));
        await Expect(page.Locator("table.runs tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("table.runs tbody tr")).ToContainTextAsync("red-fox");
        await Expect(page.Locator("table.runs tbody tr .badge")).ToContainTextAsync("✗ Failed");
        await Expect(page.Locator("#run-count")).ToHaveTextAsync("1");

        var shared = await fixture.NewPageAsync();
        await shared.GotoAsync(page.Url);
        await Expect(shared.Locator("table.runs tbody tr")).ToHaveCountAsync(1);
        await Expect(shared.Locator("input[name=state][value=FAILED]")).ToBeCheckedAsync();

        await page.GotoAsync($"/runs?flow={flowName}&q=fox&sort=NAME_ASC");
        await Expect(page.Locator("table.runs tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("table.runs tbody tr").First).ToContainTextAsync("blue-fox");
        await page.GotoAsync($"/runs?flow={flowName}&q=green");
        await Expect(page.Locator("table.runs tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("table.runs tbody tr")).ToContainTextAsync("green-fox");
    }

    [BrowserFact]
    public async Task RunsPage_MoreRunsThanAPage_PagesThroughThem()
    {
        var flowName = "paged-" + Guid.NewGuid().ToString("N")[..6];
        var flow = await fixture.Api.FlowAsync(flowName);
        for (var i = 0; i < 27; i++)
        {
            await fixture.Api.FlowRunAsync(flow, $"run-{i:00}", "COMPLETED");
        }

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/runs?flow={flowName}&sort=NAME_ASC");
        await Expect(page.Locator("table.runs tbody tr")).ToHaveCountAsync(25);
        await Expect(page.Locator(".pager")).ToContainTextAsync("Page 1 of 2");

        await page.GetByRole(AriaRole.Link, new() { Name = "Older →" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("page=2"));
        await Expect(page.Locator("table.runs tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("table.runs tbody tr").Last).ToContainTextAsync("run-26");
    }

    [BrowserFact]
    public async Task RunsPage_RunChangesStateWhileOpen_RowUpdatesWithoutReload()
    {
        var flowName = "live-list-" + Guid.NewGuid().ToString("N")[..6];
        var flow = await fixture.Api.FlowAsync(flowName);
        var run = await fixture.Api.FlowRunAsync(flow, "quick-wren", "RUNNING");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/runs?flow={flowName}");
        await Expect(page.Locator("table.runs tbody tr .badge")).ToHaveAttributeAsync("data-state-type", "RUNNING");

        await fixture.Api.SetFlowStateAsync(run, "COMPLETED");

        await Expect(page.Locator("table.runs tbody tr .badge")).ToHaveAttributeAsync("data-state-type", "COMPLETED", new() { Timeout = 15_000 });
    }
}
