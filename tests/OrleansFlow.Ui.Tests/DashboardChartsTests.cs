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
    public async Task HistoryChart_RunsScheduledOverTheLastDay_LandInTheirHourBuckets()
    {
        var flow = await fixture.Api.FlowAsync("day-" + Guid.NewGuid().ToString("N")[..6]);
        var now = DateTimeOffset.UtcNow;
        var hoursAgo = new[] { 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22 };
        foreach (var (ago, i) in hoursAgo.Select((a, i) => (a, i)))
        {
            // A run scheduled that many hours ago (its expected start), then run to an end, or left late.
            var run = await fixture.Api.PostJsonAsync("flow_runs/", new System.Text.Json.Nodes.JsonObject
            {
                ["flow_id"] = flow.ToString(),
                ["name"] = $"day-run-{ago}h",
                ["state"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["type"] = "SCHEDULED",
                    ["state_details"] = new System.Text.Json.Nodes.JsonObject { ["scheduled_time"] = (now - TimeSpan.FromHours(ago)).ToString("O") },
                },
            });
            var id = Guid.Parse((string)run["id"]!);
            if (i % 4 != 3)
            {
                await fixture.Api.SetFlowStateAsync(id, "PENDING");
                await fixture.Api.SetFlowStateAsync(id, "RUNNING");
                await fixture.Api.SetFlowStateAsync(id, i % 4 == 1 ? "FAILED" : i % 7 == 6 ? "CRASHED" : "COMPLETED", force: i % 7 == 6);
            }
        }

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/?window=24h");
        var hourNow = now.ToUnixTimeSeconds() / 3600;
        foreach (var ago in hoursAgo)
        {
            var bucket = 23 - (hourNow - (now - TimeSpan.FromHours(ago)).ToUnixTimeSeconds() / 3600);
            var total = await page.Locator($".run-history g.bucket[data-bucket='{bucket}']").GetAttributeAsync("data-total");
            Assert.True(long.Parse(total!) >= 1, $"the run expected {ago} h ago is in bucket {bucket}");
        }

        // Started hours after it was scheduled: the lateness chart has a median of hours for those buckets.
        await Expect(page.Locator("[data-chart=dash-lateness] .series.p50 circle")).Not.ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "dashboard");
        await page.EmulateMediaAsync(new() { ColorScheme = Microsoft.Playwright.ColorScheme.Dark });
        await BrowserFixture.ScreenshotAsync(page, "dashboard-dark");
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
