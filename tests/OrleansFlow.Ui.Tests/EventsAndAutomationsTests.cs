using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OrleansFlow.Grains.Automations;
using OrleansFlow.Silo.Automations;
using OrleansFlow.Testing;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

/// <summary>The events feed and the automations pages against the real server: state-change events of real runs, automations
/// created through the form (validated by the API), and a firing made by the real dispatcher from a failing run.</summary>
[Collection(BrowserCollection.Name)]
public sealed class EventsAndAutomationsTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task EventFeed_RunStateChanges_AppearLiveAndFilterByNamePrefix()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var flow = await fixture.Api.FlowAsync("events-" + suffix);
        var run = await fixture.Api.FlowRunAsync(flow, "evented-" + suffix, "PENDING");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/runs/{run}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Events of this run" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/events\\?window=7d&resource=prefect.flow-run.{run}$"));
        var events = page.Locator("li.event");
        await Expect(events).ToHaveCountAsync(1);
        await Expect(events.First).ToHaveAttributeAsync("data-event", "prefect.flow-run.Pending");
        await Expect(events.First.Locator("a.event-resource")).ToHaveAttributeAsync("href", $"/runs/{run}");
        await Expect(events.First.Locator("a.event-resource")).ToHaveTextAsync("evented-" + suffix);
        await Expect(events.First.Locator(".related a[href='/flows/" + flow + "']")).ToHaveTextAsync("events-" + suffix);

        // New events show up at the top without a reload.
        await fixture.Api.SetFlowStateAsync(run, "RUNNING");
        await fixture.Api.SetFlowStateAsync(run, "COMPLETED");
        await Expect(events).ToHaveCountAsync(3);
        await Expect(page.Locator("li.event").First).ToHaveAttributeAsync("data-event", "prefect.flow-run.Completed");
        await Expect(page.Locator("#event-count")).ToHaveTextAsync("3");

        // The payload opens on demand and holds the transition.
        var first = page.Locator("li.event").First;
        await first.Locator("summary").ClickAsync();
        await Expect(first.Locator("pre.json")).ToContainTextAsync("\"to\": \"COMPLETED\"");

        // Filtered by name prefix.
        await page.GetByLabel("Event name starts with").FillAsync("prefect.flow-run.R");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("name=prefect.flow-run.R"));
        await Expect(page.Locator("li.event")).ToHaveCountAsync(1);
        await Expect(page.Locator("li.event").First).ToHaveAttributeAsync("data-event", "prefect.flow-run.Running");
        await BrowserFixture.ScreenshotAsync(page, "events-feed");

        // The unfiltered feed has them too, newest first, with the nav entry marked.
        await page.Locator("nav[aria-label=Main]").GetByRole(AriaRole.Link, new() { Name = "Events", Exact = true }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Events");
        await Expect(page.Locator($"li.event:has(a[href='/runs/{run}'])")).ToHaveCountAsync(3);
    }

    [BrowserFact]
    public async Task AutomationForm_ServerErrorsByField_ThenCreatesListsTogglesAndDeletes()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var name = "retry-failures-" + suffix;
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/automations");
        await page.GetByRole(AriaRole.Link, new() { Name = "+ New automation" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("New automation");
        var create = page.GetByRole(AriaRole.Button, new() { Name = "Create automation" });

        // The API's validation, shown next to the field it names: an empty name, a threshold of 0, a run-deployment
        // action without a deployment.
        await create.ClickAsync();
        await Expect(page.Locator("#automation-name-error")).ToContainTextAsync("must not be empty");
        await Expect(page.Locator("#automation-name")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.Locator("#automation-name").FillAsync(name);
        await page.GetByLabel("Resource id pattern").FillAsync("prefect.flow-run.*");
        await page.GetByLabel("Expected events").FillAsync("prefect.flow-run.Failed");
        await page.GetByLabel("Threshold").FillAsync("0");
        await create.ClickAsync();
        await Expect(page.Locator("#trigger-threshold-error")).ToContainTextAsync("threshold must be at least 1");
        await Expect(page.Locator("#automation-name-error")).ToBeHiddenAsync();
        await page.GetByLabel("Threshold").FillAsync("1");
        await create.ClickAsync();
        await Expect(page.Locator("#action-0-deployment-error")).ToContainTextAsync("deployment_id is required");
        await Expect(page.Locator(".form-error")).ToContainTextAsync("actions.0.deployment_id");

        // Another action type, and a second action.
        await page.Locator("#action-0-type").SelectOptionAsync("cancel-flow-run");
        await Expect(page.Locator("#action-0-deployment")).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "+ Add an action" }).ClickAsync();
        await page.Locator(".action-list fieldset.action").Nth(1).Locator("select.action-type").SelectOptionAsync("change-flow-run-state");
        await page.Locator(".action-list fieldset.action").Nth(1).GetByLabel("State", new() { Exact = true }).SelectOptionAsync("CANCELLED");
        await page.Locator(".action-list fieldset.action").Nth(1).GetByLabel("State name (optional)").FillAsync("Stopped");
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await BrowserFixture.ScreenshotAsync(page, "automation-form");
        await create.ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/automations/[0-9a-f-]{36}$"));
        var id = Guid.Parse(page.Url[^36..]);
        await Expect(page.Locator("h1")).ToHaveTextAsync(name);
        await Expect(page.Locator("#trigger-text")).ToHaveTextAsync("When prefect.flow-run.Failed occurs for prefect.flow-run.*");
        await Expect(page.Locator("#action-list li")).ToHaveTextAsync(["Cancel the flow run", "Change the flow run's state to Stopped"]);
        await page.Locator("#automation-json summary").ClickAsync();
        await Expect(page.Locator("#automation-json pre")).ToContainTextAsync("\"type\": \"change-flow-run-state\"");
        await Expect(page.Locator("#firings-live")).ToContainTextAsync("It has not fired yet.");

        // What the API stored is what the form said.
        var stored = await fixture.Api.Http.GetFromJsonAsync<JsonObject>($"automations/{id}");
        Assert.Equal("Reactive", (string)stored!["trigger"]!["posture"]!);
        Assert.Equal("prefect.flow-run.*", (string)stored["trigger"]!["match"]!["prefect.resource.id"]!);
        Assert.Equal("CANCELLED", (string)stored["actions"]![1]!["state"]!);

        // The list: enabled, then disabled with the toggle.
        await page.Locator("nav[aria-label=Main]").GetByRole(AriaRole.Link, new() { Name = "Automations", Exact = true }).ClickAsync();
        var row = page.Locator($"tr[data-automation='{name}']");
        await Expect(row).ToContainTextAsync("Enabled");
        await Expect(row).ToContainTextAsync("never");
        await row.GetByRole(AriaRole.Button, new() { Name = "Disable " + name }).ClickAsync();
        await Expect(row).ToContainTextAsync("Disabled");
        Assert.False((bool)(await fixture.Api.Http.GetFromJsonAsync<JsonObject>($"automations/{id}"))!["enabled"]!);

        // Delete asks first.
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Delete " + name }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        using var gone = await fixture.Api.Http.GetAsync($"automations/{id}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }

    [BrowserFact]
    public async Task AutomationForm_JsonMode_PostsThePastedAutomationAndShowsItsErrors()
    {
        var name = "pasted-" + Guid.NewGuid().ToString("N")[..6];
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/automations/new");
        await page.GetByLabel("JSON (advanced)").CheckAsync();
        var json = page.GetByLabel("Automation JSON (Prefect 3's shape)");
        await Expect(json).ToBeVisibleAsync();
        await json.FillAsync($$"""{"name": "{{name}}", "trigger": {"type": "event", "posture": "Reactive", "within": -1}, "actions": []}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create automation" }).ClickAsync();
        await Expect(page.Locator("#automation-json-error")).ToContainTextAsync("trigger.within");
        await json.FillAsync($$"""{"name": "{{name}}", "trigger": {"type": "event", "posture": "Proactive", "expect": ["prefect.flow-run.Completed"], "within": 60}, "actions": [{"type": "do-nothing"}]}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create automation" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync(name);
        await Expect(page.Locator("#trigger-text")).ToHaveTextAsync("When prefect.flow-run.Completed does not occur within 1m 0s");
        await Expect(page.Locator("#action-list li")).ToHaveTextAsync(["Do nothing"]);
    }

    [BrowserFact]
    public async Task AutomationPage_FailingRun_ShowsTheFiringWithItsEventAndActionResults()
    {
        var server = fixture.Server;
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var flow = await fixture.Api.FlowAsync("fails-" + suffix);
        var run = await fixture.Api.FlowRunAsync(flow, "failing-" + suffix, "PENDING");
        var automation = await fixture.Api.PostJsonAsync("automations/", new JsonObject
        {
            ["name"] = "on-failure-" + suffix,
            ["trigger"] = new JsonObject
            {
                ["type"] = "event",
                ["posture"] = "Reactive",
                ["match"] = new JsonObject { ["prefect.resource.id"] = $"prefect.flow-run.{run}" },
                ["expect"] = new JsonArray("prefect.flow-run.Failed"),
                ["threshold"] = 1,
                ["within"] = 0,
            },
            ["actions"] = new JsonArray(new JsonObject { ["type"] = "do-nothing" }, new JsonObject { ["type"] = "cancel-flow-run" }),
        });
        var id = Guid.Parse((string)automation["id"]!);
        await fixture.Api.SetFlowStateAsync(run, "RUNNING");
        await fixture.Api.SetFlowStateAsync(run, "FAILED");

        // The real path: the server's dispatcher reads the stored events and hands them to the automation's grain, which
        // fires and runs the actions.
        var catalog = new AutomationCatalog(server.Silo);
        await Poll.UntilAsync(async () =>
        {
            var firings = await catalog.FiringsAsync(id, 10, 0, CancellationToken.None);
            return firings.Count == 1 && firings[0].ActionResults.Count == 2 && firings[0].ActionResults.All(r => r.Status != AutomationActionResult.Pending);
        }, TimeSpan.FromSeconds(30), "the automation fired and ran its actions");

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/automations/{id}");
        var firing = page.Locator("tr.firing");
        await Expect(firing).ToHaveCountAsync(1);
        await Expect(firing.Locator($"a[href='/runs/{run}']")).ToHaveTextAsync("failing-" + suffix);
        await Expect(firing.Locator("td").Nth(3)).ToContainTextAsync("✓ done Do nothing");
        await Expect(firing.Locator("td").Nth(3)).ToContainTextAsync("Cancel the flow run");
        await BrowserFixture.ScreenshotAsync(page, "automation-page");
        await firing.GetByRole(AriaRole.Link, new() { Name = "prefect.flow-run.Failed" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/events\\?window=7d&id=[0-9a-f-]{36}$"));
        await Expect(page.Locator("li.event")).ToHaveCountAsync(1);
        await Expect(page.Locator("li.event").First).ToHaveAttributeAsync("data-event", "prefect.flow-run.Failed");

        // The list shows when it last fired.
        await page.GotoAsync("/automations");
        await Expect(page.Locator($"tr[data-automation='on-failure-{suffix}'] time")).ToHaveCountAsync(1);
    }
}
