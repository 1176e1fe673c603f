using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

[Collection(BrowserCollection.Name)]
public sealed class DashboardChartsTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task HistoryChart_FailedSegmentOfTheLastBucket_OpensTheRunsOfThatBucketAndState()
    {
        var flow = await fixture.Api.FlowAsync("chart-" + Guid.NewGuid().ToString("N")[..6]);
        var failed = "fallen-" + Guid.NewGuid().ToString("N")[..6];
        await fixture.Api.FlowRunAsync(flow, failed, "FAILED");
        var done = "done-" + Guid.NewGuid().ToString("N")[..6];
        var run = await fixture.Api.FlowRunAsync(flow, done, "PENDING");
        await fixture.Api.SetFlowStateAsync(run, "RUNNING");
        await fixture.Api.SetFlowStateAsync(run, "COMPLETED");

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/?window=1h");
        var lastBucket = page.Locator(".run-history g.bucket").Last;
        await Expect(page.Locator(".run-history g.bucket")).ToHaveCountAsync(12);
        var segment = lastBucket.Locator("a.seg[data-state=FAILED]");
        await Expect(segment).ToHaveCountAsync(1);
        Assert.True(int.Parse((await segment.GetAttributeAsync("data-count"))!) >= 1);
        // The same numbers as text: the table behind the chart.
        await page.Locator(".run-history details.chart-table summary").ClickAsync();
        await Expect(page.Locator(".run-history details.chart-table tbody tr")).ToHaveCountAsync(12);
        // The duration trend has a median for the bucket of the completed run.
        await Expect(page.Locator("[data-chart=dash-duration] .series.p50 circle")).Not.ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "dashboard");

        // Keyboard: the segment is a link that takes focus.
        await segment.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/runs\\?state=FAILED&after=.+&before="));
        await Expect(page.Locator("#bucket-filter")).ToBeVisibleAsync();
        await Expect(page.Locator("table.runs tbody")).ToContainTextAsync(failed);
        await Expect(page.Locator("table.runs tbody")).Not.ToContainTextAsync(done);
        foreach (var badge in await page.Locator("table.runs tbody .badge").AllAsync())
        {
            Assert.Equal("FAILED", await badge.GetAttributeAsync("data-state-type"));
        }
    }

    [BrowserFact]
    public async Task Dashboard_At1280AndAtPhoneWidth_NoCardOverflows()
    {
        var flow = await fixture.Api.FlowAsync("wide-" + Guid.NewGuid().ToString("N")[..6]);
        for (var i = 0; i < 6; i++)
        {
            await fixture.Api.FlowRunAsync(flow, "a-rather-long-run-name-that-could-push-the-card-" + i, i % 2 == 0 ? "FAILED" : "CRASHED",
                tags: ["production", "nightly-batch", "team-data-platform"]);
        }

        foreach (var width in new[] { 1280, 390 })
        {
            var page = await fixture.NewPageAsync(width: width);
            await page.GotoAsync("/");
            await Expect(page.Locator("section[aria-labelledby=failed-h] table.runs tbody tr")).Not.ToHaveCountAsync(0);
            var overflowing = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll(".card, .card .table-wrap")]
                    .filter(e => e.scrollWidth > e.clientWidth + 1)
                    .map(e => (e.closest("section")?.getAttribute("aria-labelledby") ?? e.className) + " " + e.scrollWidth + ">" + e.clientWidth + " widest: "
                        + [...e.querySelectorAll("*")].sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right).slice(0, 2)
                            .map(c => c.tagName + "." + c.getAttribute("class") + " right=" + Math.round(c.getBoundingClientRect().right)).join(", "))
                """);
            Assert.True(overflowing.Length == 0, $"at {width}px: {string.Join(", ", overflowing)}");
            var page0 = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(page0 <= 0, $"the dashboard scrolls sideways by {page0}px at {width}px");
            await page.Context.CloseAsync();
        }
    }
}
