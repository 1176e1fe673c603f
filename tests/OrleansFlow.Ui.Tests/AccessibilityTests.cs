using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

/// <summary>Every page, in the light and the dark theme, checked by axe-core (vendored in <c>axe/axe.min.js</c>, MPL-2.0,
/// so the check needs no network): any serious or critical violation fails the test, with the rule and the elements.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture fixture)
{
    private static readonly string AxeSource = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "axe", "axe.min.js"));

    [BrowserFact]
    public async Task EveryPage_BothThemes_HasNoSeriousOrCriticalAxeViolation()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var pool = "a11y-pool-" + suffix;
        await PostAsync("work_pools/", new JsonObject { ["name"] = pool, ["type"] = "process" });
        using (var heartbeat = await fixture.Api.Http.PostAsJsonAsync($"work_pools/{pool}/workers/heartbeat", new { name = "a11y-worker" }))
        {
            heartbeat.EnsureSuccessStatusCode();
        }

        var flow = await fixture.Api.FlowAsync("a11y-" + suffix);
        var deployment = (string)(await PostAsync("deployments/", new JsonObject
        {
            ["name"] = "a11y-deployment-" + suffix,
            ["flow_id"] = flow.ToString(),
            ["schedule"] = new JsonObject { ["interval"] = 3600 },
            ["work_pool_name"] = pool,
            ["parameters"] = new JsonObject { ["n"] = 3 },
            ["parameter_openapi_schema"] = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject { ["n"] = new JsonObject { ["type"] = "integer", ["title"] = "N" } },
            },
        }))["id"]!;
        await PostAsync($"deployments/{deployment}/schedule", []);
        var run = await fixture.Api.FlowRunAsync(flow, "a11y-run-" + suffix, "PENDING", tags: ["prod"]);
        await fixture.Api.SetFlowStateAsync(run, "RUNNING");
        var task = await fixture.Api.TaskRunAsync(run, "step", "PENDING");
        await fixture.Api.SetTaskStateAsync(task, "RUNNING");
        var next = await fixture.Api.TaskRunAsync(run, "next", "PENDING", taskInputs: ApiData.Inputs(("x", [task])));
        await fixture.Api.SetTaskStateAsync(task, "FAILED");
        await fixture.Api.LogAsync(run, 40, "something failed", task);
        await fixture.Api.FlowRunAsync(flow, "a11y-done-" + suffix, "COMPLETED");
        await fixture.Api.FlowRunAsync(flow, "a11y-crashed-" + suffix, "CRASHED");
        await fixture.Api.ArtifactAsync(run, "report", "markdown", "# Report\n\n| a | b |\n|---|---|\n| 1 | 2 |");
        Assert.NotEqual(Guid.Empty, next);
        var automation = (string)(await PostAsync("automations/", new JsonObject
        {
            ["name"] = "a11y-automation-" + suffix,
            ["enabled"] = false, // shown, never fired: other tests' failing runs must not start runs of the deployment
            ["trigger"] = new JsonObject
            {
                ["type"] = "event",
                ["posture"] = "Reactive",
                ["match"] = new JsonObject { ["prefect.resource.id"] = "prefect.flow-run.*" },
                ["expect"] = new JsonArray("prefect.flow-run.Failed"),
            },
            ["actions"] = new JsonArray(new JsonObject { ["type"] = "run-deployment", ["source"] = "selected", ["deployment_id"] = deployment },
                new JsonObject { ["type"] = "cancel-flow-run" }),
        }))["id"]!;

        var block = (string)(await PostAsync("block_documents/", new JsonObject
        {
            ["name"] = "a11y-block-" + suffix,
            ["block_type_id"] = "40d46eca-cb4a-4e66-80fa-ff182b5118e1", // process: an enum, a boolean, JSON and text fields
            ["block_schema_id"] = "aa475c9a-bad7-4452-85e5-e1d1c04daf19",
            ["data"] = new JsonObject { ["command"] = new JsonArray("python", "etl.py"), ["stream_output"] = true },
        }))["id"]!;

        string[] paths =
        [
            "/", "/?window=1h", "/runs", "/runs?state=FAILED", "/task-runs", $"/runs/{run}", $"/task-runs/{task}", "/flows", $"/flows/{flow}",
            "/deployments", $"/deployments/{deployment}", $"/deployments/{deployment}/run", "/work-pools", $"/work-pools/{pool}",
            "/concurrency-limits", "/variables", "/artifacts", "/settings", "/no-such-page", "/events", $"/events?resource=prefect.flow-run.{run}",
            "/automations", "/automations/new", $"/automations/{automation}",
            "/blocks/catalog", "/blocks/catalog/process/create", "/blocks/catalog/secret/create", $"/blocks/block/{block}",
        ];
        var problems = new List<string>();
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            var page = await fixture.NewPageAsync(colorScheme: scheme);
            foreach (var path in paths)
            {
                await page.GotoAsync(path);
                await Expect(page.Locator("h1")).ToBeVisibleAsync();
                // Open every chart's table so that axe checks it too.
                await page.EvaluateAsync("() => document.querySelectorAll('details').forEach(d => d.open = true)");
                await page.AddScriptTagAsync(new() { Content = AxeSource });
                var violations = await page.EvaluateAsync<string[]>("""
                    async () => {
                        const result = await axe.run(document, { resultTypes: ["violations"] });
                        return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
                            .map(v => `${v.impact} ${v.id} (${v.help}): ${v.nodes.slice(0, 4).map(n => n.target.join(" ") + " " + (n.failureSummary || "").split("\n").slice(1, 2).join("")).join(" | ")}`);
                    }
                    """);
                problems.AddRange(violations.Select(v => $"{scheme} {path}: {v}"));
            }

            await page.Context.CloseAsync();
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [BrowserFact]
    public async Task Dashboard_KeyboardOnly_ReachesTheWindowLinksAndAChartBar()
    {
        var flow = await fixture.Api.FlowAsync("keys-" + Guid.NewGuid().ToString("N")[..6]);
        await fixture.Api.FlowRunAsync(flow, "keyed-run", "COMPLETED");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/?window=1h");
        var reached = new List<string>();
        for (var i = 0; i < 40 && !reached.Any(r => r.StartsWith("seg", StringComparison.Ordinal)); i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached.Add(await page.EvaluateAsync<string>("() => { const e = document.activeElement; return (e.classList && e.classList.contains('seg') ? 'seg ' : '') + (e.getAttribute('href') || e.id || e.tagName); }"));
        }

        Assert.Contains("/?window=24h", reached);
        Assert.Contains(reached, r => r.StartsWith("seg /runs?", StringComparison.Ordinal));
        // A skip link comes first.
        Assert.Equal("#main", reached[0]);
    }

    private async Task<JsonObject> PostAsync(string path, JsonObject body)
    {
        using var response = await fixture.Api.Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
    }
}
