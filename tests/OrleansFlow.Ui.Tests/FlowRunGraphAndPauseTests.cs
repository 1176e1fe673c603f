using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

[Collection(BrowserCollection.Name)]
public sealed class FlowRunGraphAndPauseTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task RunPage_PauseRunningRun_ProposesPausedThenResumes()
    {
        var flow = await fixture.Api.FlowAsync("pausable-" + Guid.NewGuid().ToString("N")[..6]);
        var run = await fixture.Api.FlowRunAsync(flow, "restless-marten", "RUNNING");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/runs/{run}");
        await Expect(page.Locator("#run-state .badge")).ToHaveAttributeAsync("data-state-type", "RUNNING");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume" })).ToBeHiddenAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();

        await Expect(page.Locator("#run-state .badge")).ToHaveAttributeAsync("data-state-type", "PAUSED");
        await Expect(page.Locator("#run-state .badge")).ToContainTextAsync("‖ Paused");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pause" })).ToBeHiddenAsync();
        var paused = await fixture.Api.FlowRunJsonAsync(run);
        Assert.Equal("PAUSED", (string)paused["state"]!["type"]!);
        Assert.NotNull(paused["state"]!["state_details"]!["pause_timeout"]);

        await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();

        await Expect(page.Locator("#run-state .badge")).ToHaveAttributeAsync("data-state-type", "RUNNING");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pause" })).ToBeVisibleAsync();
        Assert.Equal("RUNNING", (string)(await fixture.Api.FlowRunJsonAsync(run))["state"]!["type"]!);
    }

    [BrowserFact]
    public async Task RunPage_PauseButton_HiddenUnlessRunning()
    {
        var flow = await fixture.Api.FlowAsync("not-pausable-" + Guid.NewGuid().ToString("N")[..6]);
        var run = await fixture.Api.FlowRunAsync(flow, "scheduled-ibis", "SCHEDULED");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/runs/{run}");
        await Expect(page.Locator("#run-state .badge")).ToHaveAttributeAsync("data-state-type", "SCHEDULED");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pause" })).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task RunPage_TaskInputs_DrawLayeredDependencyGraphLinkingToTaskRuns()
    {
        var flow = await fixture.Api.FlowAsync("graph-" + Guid.NewGuid().ToString("N")[..6]);
        var run = await fixture.Api.FlowRunAsync(flow, "wiring-weasel", "RUNNING");
        var extract = await fixture.Api.TaskRunAsync(run, "extract", "RUNNING");
        await fixture.Api.SetTaskStateAsync(extract, "COMPLETED");
        var clean = await fixture.Api.TaskRunAsync(run, "clean", "RUNNING", taskInputs: ApiData.Inputs(("rows", [extract])));
        await fixture.Api.SetTaskStateAsync(clean, "COMPLETED");
        var enrich = await fixture.Api.TaskRunAsync(run, "enrich", "RUNNING", taskInputs: ApiData.Inputs(("rows", [extract])));
        await fixture.Api.SetTaskStateAsync(enrich, "FAILED");
        var load = await fixture.Api.TaskRunAsync(run, "load", "PENDING", taskInputs: ApiData.Inputs(("cleaned", [clean]), ("enriched", [enrich])));
        var audit = await fixture.Api.TaskRunAsync(run, "audit", "RUNNING");

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/runs/{run}");

        var graph = page.Locator("svg.task-graph");
        await Expect(graph.Locator("a.node")).ToHaveCountAsync(5);
        await Expect(graph.Locator("path.edge")).ToHaveCountAsync(4);
        await Expect(graph.Locator($"path.edge[data-from='{extract}'][data-to='{clean}']")).ToHaveCountAsync(1);
        await Expect(graph.Locator($"path.edge[data-from='{enrich}'][data-to='{load}']")).ToHaveCountAsync(1);
        var enrichNode = graph.Locator($"a.node[data-task-run='{enrich}']");
        await Expect(enrichNode).ToHaveClassAsync(new Regex("state-failed"));
        await Expect(enrichNode.Locator(".icon")).ToHaveTextAsync("✗");
        await Expect(graph.Locator($"a.node[data-task-run='{extract}'] .icon")).ToHaveTextAsync("✓");

        // Layers left to right: extract, then clean and enrich in one column, then load; audit (no inputs) in the first.
        var x = new Dictionary<Guid, double>();
        foreach (var id in new[] { extract, clean, enrich, load, audit })
        {
            x[id] = Math.Round((await graph.Locator($"a.node[data-task-run='{id}'] rect").BoundingBoxAsync())!.X);
        }

        Assert.True(x[extract] < x[clean], "clean is right of extract");
        Assert.Equal(x[clean], x[enrich]);
        Assert.True(x[enrich] < x[load], "load is right of enrich");
        Assert.Equal(x[extract], x[audit]);
        await graph.ScrollIntoViewIfNeededAsync();
        await BrowserFixture.ScreenshotAsync(page, "flow-run-graph");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await graph.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "flow-run-graph-dark.png") });
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });

        await enrichNode.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/task-runs/{enrich}$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("enrich");
        await page.GotoAsync($"/task-runs/{load}");
        var cleaned = page.Locator("table.inputs tr[data-input='cleaned']");
        await Expect(cleaned).ToContainTextAsync("result of task run clean");
        await cleaned.GetByRole(AriaRole.Link, new() { Name = "clean" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/task-runs/{clean}$"));
    }
}
