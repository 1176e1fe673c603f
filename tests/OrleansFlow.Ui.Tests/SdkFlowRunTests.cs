using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

/// <summary>The run pages over data the .NET SDK records when a flow runs (its task runs' <c>task_inputs</c> name the
/// upstream task runs of their arguments and of <c>waitFor</c>).</summary>
[Collection(BrowserCollection.Name)]
public sealed class SdkFlowRunTests(BrowserFixture fixture)
{
    public sealed record Readings(string Station, int Count);

    [FlowTask]
    internal static Readings Fetch(string station) => new(station, 12);

    [FlowTask]
    internal static Readings Clean(Readings readings) => readings with { Count = readings.Count - 2 };

    [FlowTask]
    internal static int Summarize(Readings raw, Readings clean)
    {
        Flows.Logger.LogInformation("summarizing {Raw} raw and {Clean} clean readings", raw.Count, clean.Count);
        return raw.Count + clean.Count;
    }

    [FlowTask]
    internal static int Publish(string station) => station.Length;

    [Flow(Name = "ui-sdk-weather")]
    internal static int Weather(string station)
    {
        var raw = Flows.Call(Fetch, station);
        var clean = Flows.Call(Clean, raw);
        var summary = Flows.Submit(() => Flows.Call(Summarize, raw, clean));
        var published = Flows.Submit(() => Flows.Call(Publish, station), waitFor: [summary]);
        published.Wait();
        return summary.Result();
    }

    [BrowserFact]
    public async Task FlowRunPage_RunMadeByTheSdk_GraphFollowsTheTaskInputsItRecorded()
    {
        var station = "blindern-" + Guid.NewGuid().ToString("N")[..6];
        using (Flows.UseApi(fixture.Server.ApiUrl))
        {
            Assert.Equal(22, Flows.Call(Weather, station));
        }

        var runs = await fixture.Api.Http.PostAsync("flow_runs/filter", System.Net.Http.Json.JsonContent.Create(new
        {
            flows = new { name = new { any_ = new[] { "ui-sdk-weather" } } },
            sort = "START_TIME_DESC",
            limit = 10,
        }));
        var list = System.Text.Json.Nodes.JsonNode.Parse(await runs.Content.ReadAsStringAsync())!.AsArray();
        var run = list.Select(r => r!).First(r => (string)r["parameters"]!["station"]! == station);

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/runs/{(string)run["id"]!}");
        await Expect(page.Locator("#run-state .badge")).ToHaveAttributeAsync("data-state-type", "COMPLETED");
        var graph = page.Locator("svg.task-graph");
        await Expect(graph.Locator("a.node")).ToHaveCountAsync(4);
        await Expect(graph.Locator("path.edge")).ToHaveCountAsync(4);
        await Expect(graph.Locator("a.node .icon")).ToHaveTextAsync(["✓", "✓", "✓", "✓"]);

        var fetch = graph.Locator("a.node", new() { HasText = "fetch" });
        var publish = graph.Locator("a.node", new() { HasText = "publish" });
        Assert.True((await fetch.Locator("rect").BoundingBoxAsync())!.X < (await publish.Locator("rect").BoundingBoxAsync())!.X);
        await publish.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/task-runs/[0-9a-f-]{36}$"));
        await Expect(page.Locator("table.inputs tr[data-input='wait_for']")).ToContainTextAsync("result of task run summarize");

        await page.Locator("table.inputs tr[data-input='wait_for'] a").ClickAsync();
        await Expect(page.Locator(".log-lines")).ToContainTextAsync("summarizing 12 raw and 10 clean readings");
        await Expect(page.Locator("table.inputs tr[data-input='clean']")).ToContainTextAsync("result of task run clean");
    }
}
