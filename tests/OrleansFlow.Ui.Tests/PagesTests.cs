using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

[Collection(BrowserCollection.Name)]
public sealed class PagesTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task EveryPage_DeclaresAnSvgIcon_SoTheBrowserLogsNoFaviconError()
    {
        var page = await fixture.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") { errors.Add(message.Text); } };
        await page.GotoAsync("/", new() { WaitUntil = WaitUntilState.Load });

        Assert.StartsWith("data:image/svg+xml,", await page.Locator("link[rel=icon]").GetAttributeAsync("href"));
        Assert.Empty(errors);
    }

    [BrowserFact]
    public async Task Dashboard_RunsInSeveralStates_CountsThemByStateAndListsFailures()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        var before = await CountsAsync(page);
        var flow = await fixture.Api.FlowAsync("dash-" + Guid.NewGuid().ToString("N")[..6]);
        await fixture.Api.FlowRunAsync(flow, "broken-bison", "FAILED");
        await fixture.Api.FlowRunAsync(flow, "fine-finch", "COMPLETED");
        await fixture.Api.FlowRunAsync(flow, "fine-falcon", "COMPLETED");
        await fixture.Api.FlowRunAsync(flow, "busy-bee", "RUNNING");

        // The counts refresh on their own (no reload).
        await Expect(page.Locator("li[data-state=COMPLETED] .bar-value")).ToHaveAttributeAsync("data-count", (before["COMPLETED"] + 2).ToString(), new() { Timeout = 15_000 });
        await Expect(page.Locator("li[data-state=FAILED] .bar-value")).ToHaveAttributeAsync("data-count", (before["FAILED"] + 1).ToString());
        await Expect(page.Locator("li[data-state=RUNNING] .bar-value")).ToHaveAttributeAsync("data-count", (before["RUNNING"] + 1).ToString());
        await Expect(page.Locator("section[aria-labelledby=failed-h]")).ToContainTextAsync("broken-bison");

        await page.Locator("li[data-state=FAILED] a").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/runs\\?state=FAILED"));
        await Expect(page.Locator("table.runs tbody")).ToContainTextAsync("broken-bison");
        await BrowserFixture.ScreenshotAsync(page, "flow-runs");
    }

    [BrowserFact]
    public async Task EveryPage_Opened_RendersItsHeadingAndActiveNavLink()
    {
        var flow = await fixture.Api.FlowAsync("pages-" + Guid.NewGuid().ToString("N")[..6]);
        var run = await fixture.Api.FlowRunAsync(flow, "tidy-tapir", "COMPLETED");
        await fixture.Api.ArtifactAsync(run, "summary", "markdown", "## Summary\n\nAll **good**.");
        using (var limit = await fixture.Api.Http.PostAsJsonAsync("concurrency_limits/", new { tag = "db", concurrency_limit = 2 }))
        {
            limit.EnsureSuccessStatusCode();
        }

        using (var variable = await fixture.Api.Http.PostAsJsonAsync("variables/", new { name = "region", value = "eu-north-1", tags = new[] { "infra" } }))
        {
            variable.EnsureSuccessStatusCode();
        }

        var page = await fixture.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        foreach (var (path, heading, nav, shot) in new[]
        {
            ("/flows", "Flows", "Flows", "flows"),
            ("/concurrency-limits", "Concurrency limits", "Concurrency limits", "concurrency-limits"),
            ("/variables", "Variables & blocks", "Variables & blocks", "variables-blocks"),
            ("/artifacts", "Artifacts", "Artifacts", "artifacts"),
            ("/settings", "Settings & about", "Settings", "settings"),
            ("/events", "Events", "Events", "events"),
            ("/automations", "Automations", "Automations", "automations"),
            ("/automations/new", "New automation", "Automations", "automation-new"),
        })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            await Expect(page.Locator("h1")).ToContainTextAsync(heading);
            await Expect(page.Locator("header nav a.active")).ToHaveTextAsync(nav);
            await BrowserFixture.ScreenshotAsync(page, shot);
        }

        await page.GotoAsync("/concurrency-limits");
        await Expect(page.Locator("tr[data-tag=db]")).ToContainTextAsync("0 / 2");
        var busy = await fixture.Api.FlowRunAsync(flow, "busy-badger", "RUNNING");
        var holder = await fixture.Api.TaskRunAsync(busy, "query-db", "PENDING", ["db"]);
        var running = await fixture.Api.SetTaskStateAsync(holder, "RUNNING");
        Assert.Equal("ACCEPT", (string)running["status"]!);
        await Expect(page.Locator("tr[data-tag=db]")).ToContainTextAsync("1 / 2", new() { Timeout = 15_000 });
        await BrowserFixture.ScreenshotAsync(page, "concurrency-limits");
        await page.Locator($"tr[data-tag=db] a[href='/task-runs/{holder}']").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("query-db");
        await page.GotoAsync("/variables");
        await Expect(page.Locator("table").First).ToContainTextAsync("eu-north-1");
        await page.GotoAsync("/artifacts");
        await Expect(page.Locator(".markdown h3", new() { HasText = "Summary" }).First).ToBeVisibleAsync();
        await page.GotoAsync("/settings");
        await Expect(page.Locator("#database")).ToContainTextAsync(".db");
        await page.GotoAsync("/flows");
        await Expect(page.Locator("table")).ToContainTextAsync("pages-");
        var missing = await page.GotoAsync("/no-such-page");
        Assert.Equal(404, missing!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Not found");
        Assert.Empty(errors);
    }

    [BrowserFact]
    public async Task ThemeToggle_Clicked_SwitchesThemeAndRemembersIt()
    {
        var page = await fixture.NewPageAsync(colorScheme: ColorScheme.Light);
        await page.GotoAsync("/runs");
        var light = await BackgroundAsync(page);

        await page.Locator("#theme-toggle").ClickAsync();

        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        var dark = await BackgroundAsync(page);
        Assert.NotEqual(light, dark);
        await page.ReloadAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        Assert.Equal(dark, await BackgroundAsync(page));
        await BrowserFixture.ScreenshotAsync(page, "flow-runs-dark");

        var system = await fixture.NewPageAsync(colorScheme: ColorScheme.Dark);
        await system.GotoAsync("/runs");
        Assert.Equal(dark, await BackgroundAsync(system));
    }

    [BrowserFact]
    public async Task NarrowViewport_RunsAndRunPages_FitWithoutHorizontalScroll()
    {
        var flow = await fixture.Api.FlowAsync("narrow-" + Guid.NewGuid().ToString("N")[..6]);
        var run = await fixture.Api.FlowRunAsync(flow, "tiny-shrew", "RUNNING");
        await fixture.Api.LogAsync(run, 20, "a log line that is quite long and has to wrap on a phone screen without pushing the page sideways");
        var page = await fixture.NewPageAsync(width: 390, height: 844);

        foreach (var path in new[] { "/", "/runs", $"/runs/{run}" })
        {
            await page.GotoAsync(path);
            await Expect(page.Locator("h1")).ToBeVisibleAsync();
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"{path} scrolls sideways by {overflow}px at 390px wide");
        }

        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "flow-run-narrow");
    }

    private static async Task<Dictionary<string, long>> CountsAsync(IPage page)
    {
        var counts = new Dictionary<string, long>();
        foreach (var row in await page.Locator("li.bar-row").AllAsync())
        {
            counts[(await row.GetAttributeAsync("data-state"))!] = long.Parse((await row.Locator(".bar-value").GetAttributeAsync("data-count"))!);
        }

        return counts;
    }

    private static Task<string> BackgroundAsync(IPage page) =>
        page.EvaluateAsync<string>("() => getComputedStyle(document.documentElement).backgroundColor");
}
