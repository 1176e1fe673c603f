using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

/// <summary>On a phone (390 px wide) no list or detail page scrolls sideways, with data that is as long as real data gets: long names
/// without spaces, several rows, wide artifact tables. Wide content scrolls inside its own box instead.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NarrowPagesTests(BrowserFixture fixture)
{
    private const int Phone = 390;

    [BrowserFact]
    public async Task NarrowViewport_PagesWithLongNamesAndSeveralRows_FitWithoutHorizontalScroll()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var pool = "kubernetes-production-eu-west-1-pool-" + suffix;
        await PostAsync("work_pools/", new JsonObject { ["name"] = pool, ["type"] = "process", ["description"] = "The pool that runs the nightly warehouse jobs" });
        using (var heartbeat = await fixture.Api.Http.PostAsJsonAsync($"work_pools/{pool}/workers/heartbeat", new { name = "worker-on-node-ip-10-0-12-34.eu-west-1.compute.internal-" + suffix }))
        {
            heartbeat.EnsureSuccessStatusCode();
        }

        var flow = await fixture.Api.FlowAsync("nightly_warehouse_reconciliation_and_backfill_" + suffix);
        var deployment = await PostAsync("deployments/", new JsonObject
        {
            ["name"] = "hourly-reconciliation-for-all-regions-" + suffix,
            ["flow_id"] = flow.ToString(),
            ["schedule"] = new JsonObject { ["cron"] = "15 */2 * * 1-5", ["timezone"] = "America/Argentina/Buenos_Aires" },
            ["is_schedule_active"] = true,
            ["work_pool_name"] = pool,
            ["tags"] = new JsonArray("nightly", "warehouse", "reconciliation"),
        });
        await PostAsync($"deployments/{(string)deployment["id"]!}/schedule", []);
        Guid run = default;
        for (var i = 0; i < 4; i++)
        {
            run = await fixture.Api.FlowRunAsync(flow, $"extraordinarily-long-winded-run-name-{i}-{suffix}", i % 2 == 0 ? "COMPLETED" : "FAILED", ["warehouse", "nightly-" + suffix]);
        }

        var task = await fixture.Api.TaskRunAsync(run, "load_the_reconciliation_results_into_the_reporting_schema_" + suffix, "COMPLETED", ["warehouse"]);
        await fixture.Api.LogAsync(run, 20, "Loaded rows from s3://warehouse-exports/reconciliation/2026/12/06/part-00000-of-00042.parquet", task);
        var artifact = new JsonObject();
        var automation = new JsonObject();
        var row = new JsonArray([.. Enumerable.Range(0, 12).Select(c => (JsonNode)$"a_rather_long_value_in_column_{c}")]);
        for (var i = 0; i < 3; i++)
        {
            artifact = await fixture.Api.PostJsonAsync("artifacts/", new JsonObject
            {
                ["key"] = $"reconciliation-report-for-the-eu-west-1-warehouse-{i}-{suffix}",
                ["type"] = "markdown",
                ["data"] = "## Summary\n\n| region | rows_checked_in_the_warehouse | rows_missing_from_the_source | status_of_the_reconciliation |\n"
                    + "|---|---|---|---|\n| eu-west-1 | 123456789 | 42 | ok |\n\nSee https://example.com/a/very/long/path/that/does/not/break/anywhere/" + suffix,
                ["flow_run_id"] = run.ToString(),
            });
            await fixture.Api.PostJsonAsync("artifacts/", new JsonObject
            {
                ["key"] = $"reconciliation-table-{i}-{suffix}",
                ["type"] = "table",
                ["data"] = new JsonArray(row.DeepClone(), row.DeepClone()),
                ["flow_run_id"] = run.ToString(),
            });
        }

        for (var i = 0; i < 3; i++)
        {
            automation = await fixture.Api.PostJsonAsync("automations/", new JsonObject
            {
                ["name"] = $"notify-the-on-call-engineer-when-reconciliation-fails-{i}-{suffix}",
                ["description"] = "Pages the warehouse on-call engineer when the nightly_warehouse_reconciliation_and_backfill flow fails",
                ["trigger"] = new JsonObject
                {
                    ["type"] = "event",
                    ["posture"] = "Reactive",
                    ["match"] = new JsonObject { ["prefect.resource.id"] = $"prefect.flow-run.{run}" },
                    ["expect"] = new JsonArray("prefect.flow-run.Failed", "prefect.flow-run.Crashed"),
                    ["threshold"] = 1,
                    ["within"] = 0,
                },
                ["actions"] = new JsonArray(new JsonObject { ["type"] = "cancel-flow-run" }),
            });
        }

        using (var limit = await fixture.Api.Http.PostAsJsonAsync("concurrency_limits/", new { tag = "warehouse-database-connections-" + suffix, concurrency_limit = 2 }))
        {
            limit.EnsureSuccessStatusCode();
        }

        using (var variable = await fixture.Api.Http.PostAsJsonAsync("variables/", new
        {
            name = "warehouse_connection_string_" + suffix,
            value = "postgresql://reconciliation_service_account@warehouse.internal.example.com:5432/analytics_production",
            tags = new[] { "infra", "warehouse" },
        }))
        {
            variable.EnsureSuccessStatusCode();
        }

        var page = await fixture.NewPageAsync(width: Phone, height: 844);
        var overflowing = new List<string>();
        foreach (var path in new[]
        {
            "/", "/runs", "/flows", "/deployments", "/work-pools", "/concurrency-limits", "/variables", "/artifacts", "/events",
            "/automations", "/automations/new", "/settings",
            $"/flows/{flow}", $"/deployments/{(string)deployment["id"]!}", $"/work-pools/{pool}", $"/runs/{run}",
            $"/artifacts/{(string)artifact["id"]!}", $"/automations/{(string)automation["id"]!}", $"/task-runs/{task}",
        })
        {
            await page.GotoAsync(path);
            await Expect(page.Locator("h1")).ToBeVisibleAsync();
            // On overflow, the path to the element that causes it: the deepest one whose hiding makes the page fit.
            var overflow = await page.EvaluateAsync<string?>("""
                () => {
                  const root = document.documentElement;
                  const excess = root.scrollWidth - root.clientWidth;
                  if (excess <= 0) { return null; }
                  const path = [];
                  const walk = element => {
                    for (const child of element.children) {
                      const display = child.style.display;
                      child.style.display = "none";
                      const fits = root.scrollWidth <= root.clientWidth;
                      child.style.display = display;
                      if (fits) { path.push(child.tagName.toLowerCase() + "." + (child.getAttribute("class") ?? "")); walk(child); return; }
                    }
                  };
                  walk(document.body);
                  return excess + "px, because of " + path.join(" > ");
                }
                """);
            if (overflow is not null)
            {
                overflowing.Add($"{path} scrolls sideways by {overflow}");
            }
        }

        Assert.True(overflowing.Count == 0, string.Join("\n", overflowing));
    }

    [BrowserFact]
    public async Task NarrowViewport_PoolQueuesActions_AreReachableWithoutSidewaysScroll()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var pool = "narrow-queues-pool-" + suffix;
        await PostAsync("work_pools/", new JsonObject { ["name"] = pool, ["type"] = "process" });
        foreach (var queue in new[] { "high-priority-reconciliation-" + suffix, "low" })
        {
            await PostAsync($"work_pools/{pool}/queues", new JsonObject { ["name"] = queue, ["concurrency_limit"] = 3, ["description"] = "the queue of the nightly warehouse jobs" });
        }

        var page = await fixture.NewPageAsync(width: Phone, height: 844);
        await page.GotoAsync($"/work-pools/{pool}");
        var wrap = page.Locator(".table-wrap:has(table.queues-table)");
        await Expect(wrap.Locator("tr[data-queue]")).ToHaveCountAsync(3);
        // The queues' box does not scroll sideways, and every action button and edit toggle is inside it.
        Assert.True(await wrap.EvaluateAsync<bool>("w => w.scrollWidth <= w.clientWidth"), "the queues table scrolls sideways");
        var box = (await wrap.BoundingBoxAsync())!;
        foreach (var action in await wrap.Locator("button, summary").AllAsync())
        {
            var at = (await action.BoundingBoxAsync())!;
            Assert.True(at.X >= box.X && at.X + at.Width <= box.X + box.Width + 0.5,
                $"'{await action.TextContentAsync()}' is at {at.X}..{at.X + at.Width}, outside the queues' box {box.X}..{box.X + box.Width}");
        }

        // Each value is still labelled with its column's name.
        await Expect(page.Locator("tr[data-queue=low] td[data-label=Limit]")).ToHaveTextAsync("3");

        // An opened edit panel fits too.
        await page.Locator("tr[data-queue=low]").GetByText("Edit").ClickAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
        Assert.True(await wrap.EvaluateAsync<bool>("w => w.scrollWidth <= w.clientWidth"), "the opened queue edit panel widens the queues' box");
    }

    [BrowserFact]
    public async Task NarrowViewport_TaskRunsStateFilters_SitSeveralToALine_EachCheckboxBesideItsState()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var flow = await fixture.Api.FlowAsync("narrow_task_runs_" + suffix);
        var run = await fixture.Api.FlowRunAsync(flow, "narrow-task-runs-" + suffix, "RUNNING");
        await fixture.Api.TaskRunAsync(run, "narrow_task_" + suffix, "FAILED");
        var page = await fixture.NewPageAsync(width: Phone, height: 844);
        foreach (var path in new[] { "/task-runs", "/runs" })
        {
            await page.GotoAsync(path);
            var labels = page.Locator("fieldset.states label.check");
            var boxes = new List<Microsoft.Playwright.LocatorBoundingBoxResult>();
            foreach (var label in await labels.AllAsync())
            {
                var checkbox = (await label.Locator("input[type=checkbox]").BoundingBoxAsync())!;
                var badge = (await label.Locator(".badge").BoundingBoxAsync())!;
                // The checkbox is its own size, and its state's badge right beside it (not across the line).
                Assert.True(checkbox.Width < 30, $"{path}: a state checkbox is {checkbox.Width} px wide");
                Assert.InRange(badge.X - (checkbox.X + checkbox.Width), 0, 16);
                boxes.Add((await label.BoundingBoxAsync())!);
            }

            var lines = boxes.Select(b => Math.Round(b.Y)).Distinct().Count();
            Assert.True(lines <= (boxes.Count + 1) / 2, $"{path}: {boxes.Count} states take {lines} lines");
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
        }

        await Expect(page.Locator("h1")).ToHaveTextAsync("Flow runs");
    }

    [BrowserFact]
    public async Task NarrowViewport_ChartsWithData_DrawAxisLabelsAtLeast10PxThatDoNotRunTogether()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var pool = "narrow-charts-pool-" + suffix;
        await PostAsync("work_pools/", new JsonObject { ["name"] = pool, ["type"] = "process" });
        var flow = await fixture.Api.FlowAsync("narrow_charts_" + suffix);
        var deployment = await PostAsync("deployments/", new JsonObject { ["name"] = "narrow-charts-" + suffix, ["flow_id"] = flow.ToString(), ["work_pool_name"] = pool });
        var deploymentId = (string)deployment["id"]!;
        for (var i = 0; i < 3; i++)
        {
            await PostAsync($"deployments/{deploymentId}/create_flow_run", new JsonObject { ["name"] = $"narrow-charts-{i}-{suffix}" });
            await fixture.Api.FlowRunAsync(flow, $"narrow-charts-done-{i}-{suffix}", i == 0 ? "FAILED" : "COMPLETED");
        }

        var page = await fixture.NewPageAsync(width: Phone, height: 844);
        foreach (var path in new[] { "/", $"/deployments/{deploymentId}", $"/work-pools/{pool}" })
        {
            await page.GotoAsync(path);
            await Expect(page.Locator(".chart-svg").First).ToBeVisibleAsync();
            await Expect(page.Locator(".chart-svg .bucket:not([data-total='0']), .chart-svg circle").First).ToBeAttachedAsync();
            // Each drawn label's size on screen: its font size in view box units times the view box's scale.
            var labels = await page.EvaluateAsync<LabelOnScreen[]>("""
                () => [...document.querySelectorAll(".chart-svg .axis-label")]
                    .filter(t => getComputedStyle(t).display !== "none")
                    .map(t => {
                      const r = t.getBoundingClientRect();
                      return { chart: t.closest("figure").dataset.chart, axis: t.closest(".x-axis") ? "x" : "y", text: t.textContent,
                               px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a, left: r.left, right: r.right };
                    })
                """);
            Assert.NotEmpty(labels);
            var small = labels.Where(l => l.Px < 10).Select(l => $"{l.Chart} '{l.Text}' at {l.Px:0.#} px").ToList();
            Assert.True(small.Count == 0, $"{path}: {string.Join(", ", small)}");
            foreach (var chart in labels.Where(l => l.Axis == "x").GroupBy(l => l.Chart))
            {
                var xs = chart.OrderBy(l => l.Left).ToList();
                Assert.True(xs.Count >= 2, $"{path}: {chart.Key} keeps {xs.Count} time labels");
                for (var i = 1; i < xs.Count; i++)
                {
                    Assert.True(xs[i].Left >= xs[i - 1].Right + 4, $"{path}: {chart.Key}'s '{xs[i - 1].Text}' and '{xs[i].Text}' run together");
                }
            }

            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), $"{path} scrolls sideways");
        }
    }

    private sealed class LabelOnScreen
    {
        public string Chart { get; set; } = "";

        public string Axis { get; set; } = "";

        public string Text { get; set; } = "";

        public double Px { get; set; }

        public double Left { get; set; }

        public double Right { get; set; }
    }

    [BrowserFact]
    public async Task NarrowViewport_TaskRunsTable_StacksEachRowWithLabelledValuesAndNoSidewaysScroll()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var flow = await fixture.Api.FlowAsync("nightly_warehouse_reconciliation_" + suffix);
        var run = await fixture.Api.FlowRunAsync(flow, "extraordinarily-long-winded-run-name-" + suffix, "COMPLETED");
        await fixture.Api.TaskRunAsync(run, "load_the_reconciliation_results_" + suffix, "COMPLETED", ["warehouse", "nightly"]);
        var page = await fixture.NewPageAsync(width: Phone, height: 844);
        await page.GotoAsync("/task-runs?tag=nightly");
        var row = page.Locator("table.task-runs tbody tr").First;
        await Expect(row.Locator("td[data-label='Flow run'] a")).ToHaveTextAsync("extraordinarily-long-winded-run-name-" + suffix);
        var wrap = page.Locator(".table-wrap:has(table.task-runs)");
        Assert.True(await wrap.EvaluateAsync<bool>("w => w.scrollWidth <= w.clientWidth"), "the task runs table scrolls sideways");
        // The flow run's name is not squeezed to a few characters a line: its link takes at most two lines.
        var lines = await row.Locator("td[data-label='Flow run'] a").EvaluateAsync<int>(
            "a => a.getClientRects().length");
        Assert.InRange(lines, 1, 2);
        // Duration is on screen, inside the table's box, with its label beside it.
        var box = (await wrap.BoundingBoxAsync())!;
        var duration = (await row.Locator("td[data-label=Duration]").BoundingBoxAsync())!;
        Assert.True(duration.X >= box.X && duration.X + duration.Width <= box.X + box.Width + 0.5, $"Duration is at {duration.X}..{duration.X + duration.Width}, outside {box.X}..{box.X + box.Width}");
        Assert.Equal("Duration", await row.Locator("td[data-label=Duration]").EvaluateAsync<string>("td => getComputedStyle(td, '::before').content.replaceAll('\"', '')"));
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
    }

    private async Task<JsonObject> PostAsync(string path, JsonObject body)
    {
        using var response = await fixture.Api.Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
    }
}
