using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

/// <summary>The detail pages' answers for items that do not exist, and the run page's links to what a run belongs to.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DetailPagesTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task DetailPages_UnknownItem_Answer404WithTheirOwnMessage()
    {
        var unknown = Guid.NewGuid();
        (string Path, string Heading)[] pages =
        [
            ($"/runs/{unknown}", "Flow run not found"),
            ($"/task-runs/{unknown}", "Task run not found"),
            ($"/flows/{unknown}", "Flow not found"),
            ($"/deployments/{unknown}", "Deployment not found"),
            ($"/deployments/{unknown}/run", "Deployment not found"),
            ("/work-pools/no-such-pool-" + unknown.ToString("N")[..6], "Work pool not found"),
            ($"/artifacts/{unknown}", "Artifact not found"),
            ($"/automations/{unknown}", "Automation not found"),
        ];
        var page = await fixture.NewPageAsync();
        foreach (var (path, heading) in pages)
        {
            var response = await page.GotoAsync(path);
            Assert.True(response!.Status == 404, $"{path} answered {response.Status}");
            await Expect(page.Locator("h1")).ToHaveTextAsync(heading);
            // The layout and its navigation are still there.
            await Expect(page.Locator("nav a[href='/runs']").First).ToBeVisibleAsync();
        }
    }

    [BrowserFact]
    public async Task RunPage_KnownItems_Answer200()
    {
        var flow = await fixture.Api.FlowAsync("found-" + Guid.NewGuid().ToString("N")[..6]);
        var run = await fixture.Api.FlowRunAsync(flow, "found-fox", "COMPLETED");
        var page = await fixture.NewPageAsync();

        Assert.Equal(200, (await page.GotoAsync($"/runs/{run}"))!.Status);
        Assert.Equal(200, (await page.GotoAsync($"/flows/{flow}"))!.Status);
    }

    [BrowserFact]
    public async Task RunPage_LinksToItsFlowDeploymentPoolQueueAndParentRun_ByName()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var pool = "links-pool-" + suffix;
        await fixture.Api.PostJsonAsync("work_pools/", new JsonObject { ["name"] = pool, ["type"] = "process" });
        var flowName = "links-" + suffix;
        var flow = await fixture.Api.FlowAsync(flowName);
        var deploymentName = "links-deployment-" + suffix;
        var deployment = (string)(await fixture.Api.PostJsonAsync("deployments/", new JsonObject
        {
            ["name"] = deploymentName,
            ["flow_id"] = flow.ToString(),
            ["work_pool_name"] = pool,
        }))["id"]!;
        var parent = await fixture.Api.FlowRunAsync(flow, "parent-puffin-" + suffix, "RUNNING");
        var parentTask = await fixture.Api.TaskRunAsync(parent, "calls-child", "RUNNING");
        var child = (string)(await fixture.Api.PostJsonAsync($"deployments/{deployment}/create_flow_run", new JsonObject
        {
            ["name"] = "child-chick-" + suffix,
            ["parent_task_run_id"] = parentTask.ToString(),
        }))["id"]!;

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/runs/{child}");
        var facts = page.Locator("dl.facts");

        await Expect(facts.GetByRole(AriaRole.Link, new() { Name = flowName, Exact = true })).ToHaveAttributeAsync("href", $"/flows/{flow}");
        await Expect(facts.GetByRole(AriaRole.Link, new() { Name = deploymentName, Exact = true })).ToHaveAttributeAsync("href", $"/deployments/{deployment}");
        await Expect(facts.GetByRole(AriaRole.Link, new() { Name = pool, Exact = true })).ToHaveAttributeAsync("href", $"/work-pools/{pool}");
        await Expect(facts.GetByRole(AriaRole.Link, new() { Name = "default", Exact = true })).ToHaveAttributeAsync("href", $"/work-pools/{pool}#queue-default");
        await Expect(facts.GetByRole(AriaRole.Link, new() { Name = "parent-puffin-" + suffix, Exact = true })).ToHaveAttributeAsync("href", $"/runs/{parent}");
        await Expect(page.Locator("p.crumbs a", new() { HasText = flowName })).ToHaveAttributeAsync("href", $"/flows/{flow}");

        // The deployment link leads to the deployment's page.
        await facts.GetByRole(AriaRole.Link, new() { Name = deploymentName, Exact = true }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync(deploymentName);
    }

    [BrowserFact]
    public async Task RunPage_DeploymentDeleted_ShowsTheIdAsDeleted()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var flow = await fixture.Api.FlowAsync("gone-" + suffix);
        var deployment = (string)(await fixture.Api.PostJsonAsync("deployments/", new JsonObject
        {
            ["name"] = "gone-deployment-" + suffix,
            ["flow_id"] = flow.ToString(),
        }))["id"]!;
        var run = (string)(await fixture.Api.PostJsonAsync($"deployments/{deployment}/create_flow_run", new JsonObject
        {
            ["state"] = new JsonObject { ["type"] = "COMPLETED" },
        }))["id"]!;
        using (var deleted = await fixture.Api.Http.DeleteAsync($"deployments/{deployment}"))
        {
            deleted.EnsureSuccessStatusCode();
        }

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/runs/{run}");

        await Expect(page.Locator("dl.facts div", new() { Has = page.Locator("dt", new() { HasText = "Deployment" }) }).Locator("dd"))
            .ToHaveTextAsync($"{deployment} (deleted)");
    }

    [BrowserFact]
    public async Task DeploymentPage_PausesAndResumesTheSchedule_ThenDeletesTheDeployment()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var flow = await fixture.Api.FlowAsync("own-page-" + suffix);
        var name = "own-page-deployment-" + suffix;
        var deployment = (string)(await fixture.Api.PostJsonAsync("deployments/", new JsonObject
        {
            ["name"] = name,
            ["flow_id"] = flow.ToString(),
            ["schedule"] = new JsonObject { ["interval"] = 3600 },
        }))["id"]!;
        var page = await fixture.NewPageAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync($"/deployments/{deployment}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Pause schedule" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume schedule" })).ToBeVisibleAsync();
        Assert.EndsWith($"/deployments/{deployment}", page.Url);
        Assert.False((bool)(await DeploymentJsonAsync(deployment))["is_schedule_active"]!);

        await page.GetByRole(AriaRole.Button, new() { Name = "Resume schedule" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pause schedule" })).ToBeVisibleAsync();
        Assert.True((bool)(await DeploymentJsonAsync(deployment))["is_schedule_active"]!);

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/deployments$"));
        await Expect(page.Locator($"tr[data-deployment='{name}']")).ToHaveCountAsync(0);
        using var gone = await fixture.Api.Http.GetAsync($"deployments/{deployment}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }

    private async Task<JsonObject> DeploymentJsonAsync(string id) =>
        JsonNode.Parse(await fixture.Api.Http.GetStringAsync($"deployments/{id}"))!.AsObject();
}
