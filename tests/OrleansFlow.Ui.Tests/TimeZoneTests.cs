using System.Globalization;
using System.Text.Json.Nodes;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

/// <summary>Every time on a page is in the viewer's zone: the times in tables and lists, the live log lines, the charts'
/// axes and bucket descriptions, the deployment's week. Asia/Kolkata is 5:30 from UTC, so neither a time nor an hour
/// bucket left in UTC can pass for a local one.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TimeZoneTests(BrowserFixture fixture)
{
    private const string Zone = "Asia/Kolkata";

    private static readonly TimeZoneInfo Kolkata = TimeZoneInfo.FindSystemTimeZoneById(Zone);

    [BrowserFact]
    public async Task EveryPage_ViewerInKolkata_ShowsEveryTimeInKolkataTime()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var pool = "tz-pool-" + suffix;
        await fixture.Api.PostJsonAsync("work_pools/", new JsonObject { ["name"] = pool, ["type"] = "process" });
        var flow = await fixture.Api.FlowAsync("tz-" + suffix);
        var deployment = Guid.Parse((string)(await fixture.Api.PostJsonAsync("deployments/", new JsonObject
        {
            ["name"] = "tz-deployment-" + suffix,
            ["flow_id"] = flow.ToString(),
            ["work_pool_name"] = pool,
        }))["id"]!);

        // Due tomorrow at 20:00 UTC: the day after, 01:30, in Kolkata.
        var due = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(1).AddHours(20), TimeSpan.Zero);
        var scheduled = Guid.Parse((string)(await fixture.Api.PostJsonAsync($"deployments/{deployment}/create_flow_run", new JsonObject
        {
            ["name"] = "due-in-kolkata-" + suffix,
            ["state"] = new JsonObject { ["type"] = "SCHEDULED", ["state_details"] = new JsonObject { ["scheduled_time"] = due.ToString("O") } },
        }))["id"]!);
        var run = await fixture.Api.FlowRunAsync(flow, "ticking-" + suffix, "RUNNING");
        var task = await fixture.Api.TaskRunAsync(run, "tick-" + suffix, "RUNNING");
        await fixture.Api.LogAsync(run, 20, "logged before the page opened", task);
        await fixture.Api.ArtifactAsync(run, "tz-report-" + suffix, "markdown", "report");

        var page = await fixture.NewPageAsync(timezoneId: Zone);
        await page.GotoAsync("/");

        // The name the browser gives the zone (Chromium's ICU says Asia/Calcutta): the page names it so.
        var name = await page.EvaluateAsync<string>("() => Intl.DateTimeFormat().resolvedOptions().timeZone");
        Assert.Contains(name, new[] { "Asia/Kolkata", "Asia/Calcutta" });
        var checkedTimes = 0;
        foreach (var path in new[]
        {
            "/", "/runs", $"/runs/{run}", $"/runs/{scheduled}", $"/task-runs/{task}", "/flows", $"/flows/{flow}", "/deployments",
            $"/deployments/{deployment}", "/work-pools", $"/work-pools/{pool}", "/events", "/artifacts", "/automations",
        })
        {
            await page.GotoAsync(path);
            await Expect(page.Locator("html")).ToHaveAttributeAsync("data-time-zone", name);
            await Expect(page.Locator("h1")).ToBeVisibleAsync();
            var utcTimes = await page.EvaluateAsync<string[]>("""
                zone => [...document.querySelectorAll("time[datetime]")]
                  .filter(t => t.textContent.trim() !== new Date(t.getAttribute("datetime")).toLocaleString("sv-SE", { timeZone: zone }))
                  .map(t => t.getAttribute("datetime") + " shown as " + t.textContent)
                """, Zone);
            Assert.True(utcTimes.Length == 0, $"{path}: {string.Join(", ", utcTimes)}");
            checkedTimes += await page.Locator("time[datetime]").CountAsync();
            var text = await page.Locator("main").InnerTextAsync();
            Assert.DoesNotContain("UTC", text.Replace("UTC)", ""), StringComparison.Ordinal);
        }

        Assert.True(checkedTimes >= 20, $"{checkedTimes} times checked");

        // The dashboard's chart: hour buckets start on the hour in Kolkata (not at :30), the last one holding now, and say so.
        await page.GotoAsync("/");
        await Expect(page.Locator("#dash-history-caption")).ToContainTextAsync($"{name} time");
        var labels = await page.Locator(".run-history .x-axis text").AllTextContentsAsync();
        Assert.NotEmpty(labels);
        Assert.All(labels, label => Assert.Matches("^[0-2][0-9]:00$", label));
        await Expect(page.Locator(".run-history .chart-table th[scope=row]").Last).ToContainTextAsync(
            TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Kolkata).ToString("yyyy-MM-dd HH:00", CultureInfo.InvariantCulture) + " to ");

        // The deployment's week puts the run on its day in Kolkata, at its time there.
        await page.GotoAsync($"/deployments/{deployment}");
        var local = TimeZoneInfo.ConvertTime(due, Kolkata);
        await Expect(page.Locator($".week section[data-day='{local:yyyy-MM-dd}'] li a")).ToHaveTextAsync(local.ToString("HH:mm", CultureInfo.InvariantCulture));
        await Expect(page.Locator(".week-note")).ToHaveTextAsync($"Times in {name} time.");

        // A log line that arrives over the live stream too.
        await page.GotoAsync($"/runs/{run}");
        await Expect(page.Locator(".live-indicator.on")).ToBeVisibleAsync();
        await fixture.Api.LogAsync(run, 20, "logged while the page was open");
        var line = page.Locator(".log-lines .log", new() { HasText = "logged while the page was open" }).Locator("time");
        await Expect(line).ToBeVisibleAsync(new() { Timeout = 15_000 });
        var iso = await line.GetAttributeAsync("datetime");
        var expected = TimeZoneInfo.ConvertTime(DateTimeOffset.Parse(iso!, CultureInfo.InvariantCulture), Kolkata).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        await Expect(line).ToHaveTextAsync(expected);
    }
}
