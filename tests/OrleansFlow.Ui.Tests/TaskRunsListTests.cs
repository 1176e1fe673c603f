using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

/// <summary>The task-runs list (<c>/task-runs</c>): the flow-runs page's filters, sorts and paging over task runs, each
/// shown with its flow run and flow.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TaskRunsListTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task TaskRuns_FilterByFlowStateTagAndName_LinkToTheirFlowRun()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var flowName = "tasks-list-" + suffix;
        var flow = await fixture.Api.FlowAsync(flowName);
        var other = await fixture.Api.FlowAsync("tasks-other-" + suffix);
        var run = await fixture.Api.FlowRunAsync(flow, "listing-lynx-" + suffix, "RUNNING");
        var otherRun = await fixture.Api.FlowRunAsync(other, "other-otter-" + suffix, "RUNNING");
        var extract = await fixture.Api.TaskRunAsync(run, "extract-" + suffix, "COMPLETED", tags: ["etl-" + suffix]);
        var load = await fixture.Api.TaskRunAsync(run, "load-" + suffix, "FAILED");
        await fixture.Api.TaskRunAsync(otherRun, "elsewhere-" + suffix, "FAILED");
        var page = await fixture.NewPageAsync();

        await page.GotoAsync($"/task-runs?flow={flowName}");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Task runs");
        await Expect(page.Locator("#run-count")).ToHaveTextAsync("2");
        var rows = page.Locator("tr[data-task-run-id]");
        await Expect(rows).ToHaveCountAsync(2);
        var loadRow = page.Locator($"tr[data-task-run-id='{load}']");
        await Expect(loadRow).ToContainTextAsync("Failed");
        await Expect(loadRow.GetByRole(AriaRole.Link, new() { Name = "listing-lynx-" + suffix })).ToHaveAttributeAsync("href", $"/runs/{run}");
        await Expect(loadRow).ToContainTextAsync(flowName);

        // The form keeps the page: a state narrows the list to the failed task run of this flow.
        await page.Locator("form.filters label.check", new() { HasText = "Failed" }).Locator("input").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/task-runs\\?"));
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(page.Locator($"tr[data-task-run-id='{load}']")).ToBeVisibleAsync();

        await page.GotoAsync($"/task-runs?tag=etl-{suffix}");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(page.Locator($"tr[data-task-run-id='{extract}']")).ToBeVisibleAsync();

        await page.GotoAsync($"/task-runs?q=elsewhere-{suffix}");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("other-otter-" + suffix);

        // A task run's name opens its page.
        await page.GotoAsync($"/task-runs?flow={flowName}&sort=NAME_ASC");
        await Expect(rows.First).ToContainTextAsync("extract-" + suffix);
        await rows.First.GetByRole(AriaRole.Link, new() { Name = "extract-" + suffix }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/task-runs/{extract}$"));
    }

    [BrowserFact]
    public async Task TaskRuns_MoreThanAPage_PagesAndCountsThemAll()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var flowName = "tasks-paged-" + suffix;
        var flow = await fixture.Api.FlowAsync(flowName);
        var run = await fixture.Api.FlowRunAsync(flow, "paging-puma-" + suffix, "RUNNING");
        for (var i = 0; i < 27; i++)
        {
            await fixture.Api.TaskRunAsync(run, $"step-{i:00}", "COMPLETED", dynamicKey: i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/task-runs?flow={flowName}&sort=NAME_ASC");
        await Expect(page.Locator("#run-count")).ToHaveTextAsync("27");
        var rows = page.Locator("tr[data-task-run-id]");
        await Expect(rows).ToHaveCountAsync(25);
        await Expect(rows.First).ToContainTextAsync("step-00");

        await page.GetByRole(AriaRole.Link, new() { Name = "Older →" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Last).ToContainTextAsync("step-26");
        await Expect(page.Locator("#run-count")).ToHaveTextAsync("27");
        await Expect(page.Locator("nav.pager")).ToContainTextAsync("Page 2 of 2");
    }

    [BrowserFact]
    public async Task RunsPages_SwitchBetweenFlowRunsAndTaskRuns_KeepingTheFilter()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/runs?tag=keep-me&deployment=nightly");
        await page.Locator("nav[aria-label='Runs of']").GetByRole(AriaRole.Link, new() { Name = "Task runs" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/task-runs\\?tag=keep-me$"));
        await Expect(page.GetByLabel("Tag")).ToHaveValueAsync("keep-me");
        await Expect(page.GetByLabel("Deployment")).ToHaveCountAsync(0);

        await page.Locator("nav[aria-label='Runs of']").GetByRole(AriaRole.Link, new() { Name = "Flow runs" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/runs\\?tag=keep-me$"));
    }

    [BrowserFact]
    public async Task TaskRuns_AtPhoneWidth_FitWithoutHorizontalScroll()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var flow = await fixture.Api.FlowAsync("tasks-narrow-" + suffix);
        var run = await fixture.Api.FlowRunAsync(flow, "narrow-newt-" + suffix, "RUNNING");
        await fixture.Api.TaskRunAsync(run, "a-task-with-a-rather-long-name-" + suffix, "RUNNING", tags: ["one-tag", "another-tag"]);
        var page = await fixture.NewPageAsync(width: 390, height: 844);

        await page.GotoAsync("/task-runs");
        await Expect(page.Locator("tr[data-task-run-id]").First).ToBeVisibleAsync();
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"/task-runs scrolls sideways by {overflow}px at 390px wide");
    }
}
