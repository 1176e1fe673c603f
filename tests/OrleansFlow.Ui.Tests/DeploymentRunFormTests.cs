using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansFlow.Ui.Tests;

[Collection(BrowserCollection.Name)]
public sealed class DeploymentRunFormTests(BrowserFixture fixture)
{
    /// <summary>The schema the SDK and Prefect generate for <c>def report(city: str, days: int = 7, threshold: float,
    /// dry_run: bool = False, unit: Unit = Unit.metric, stations: list[str], options: dict)</c>.</summary>
    private static JsonObject Schema() => new()
    {
        ["title"] = "Parameters",
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["city"] = new JsonObject { ["title"] = "City", ["type"] = "string", ["description"] = "Where to report on.", ["position"] = 0 },
            ["days"] = new JsonObject { ["title"] = "Days", ["type"] = "integer", ["default"] = 7, ["position"] = 1 },
            ["threshold"] = new JsonObject { ["title"] = "Threshold", ["type"] = "number", ["position"] = 2 },
            ["dry_run"] = new JsonObject { ["title"] = "Dry run", ["type"] = "boolean", ["default"] = false, ["position"] = 3 },
            ["unit"] = new JsonObject { ["title"] = "Unit", ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = "#/definitions/Unit" }), ["default"] = "metric", ["position"] = 4 },
            ["stations"] = new JsonObject { ["title"] = "Stations", ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" }, ["position"] = 5 },
            ["options"] = new JsonObject { ["title"] = "Options", ["type"] = "object", ["position"] = 6 },
        },
        ["required"] = new JsonArray("city", "days"),
        ["definitions"] = new JsonObject
        {
            ["Unit"] = new JsonObject { ["title"] = "Unit", ["description"] = "An enumeration.", ["enum"] = new JsonArray("metric", "imperial"), ["type"] = "string" },
        },
    };

    [BrowserFact]
    public async Task RunForm_FromSchema_ShowsServerErrorsInlineThenCreatesTheRunWithTheFormsParameters()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var flow = await fixture.Api.FlowAsync("weather-" + suffix);
        var deployment = await fixture.Api.PostJsonAsync("deployments/", new JsonObject
        {
            ["name"] = "on-demand-" + suffix,
            ["flow_id"] = flow.ToString(),
            ["parameters"] = new JsonObject { ["threshold"] = 0.5 },
            ["parameter_openapi_schema"] = Schema(),
            ["description"] = "Weather report for one city.",
        });
        var deploymentId = (string)deployment["id"]!;

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/deployments");
        await page.Locator($"tr[data-deployment='on-demand-{suffix}']").GetByRole(AriaRole.Link, new() { Name = $"Run on-demand-{suffix}" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/deployments/{deploymentId}/run$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Run weather-{suffix}/on-demand-{suffix}");

        // Inputs by type, defaults prefilled (the schema's, and the deployment's own parameters), required marked.
        await Expect(page.Locator("#param-city")).ToHaveAttributeAsync("type", "text");
        await Expect(page.Locator("#param-city")).ToHaveAttributeAsync("aria-required", "true");
        await Expect(page.Locator(".field[data-param='city'] .required")).ToBeVisibleAsync();
        await Expect(page.Locator(".field[data-param='threshold'] .required")).ToHaveCountAsync(0);
        await Expect(page.Locator("#param-days")).ToHaveAttributeAsync("type", "number");
        await Expect(page.Locator("#param-days")).ToHaveValueAsync("7");
        await Expect(page.Locator("#param-threshold")).ToHaveValueAsync("0.5");
        await Expect(page.Locator("#param-dry_run")).ToHaveAttributeAsync("type", "checkbox");
        await Expect(page.Locator("#param-dry_run")).Not.ToBeCheckedAsync();
        await Expect(page.Locator("#param-unit option:checked")).ToHaveTextAsync("metric");
        await Expect(page.Locator("#param-unit option")).ToHaveCountAsync(3);
        Assert.Equal("textarea", await page.Locator("#param-stations").EvaluateAsync<string>("e => e.tagName.toLowerCase()"));
        Assert.Equal("textarea", await page.Locator("#param-options").EvaluateAsync<string>("e => e.tagName.toLowerCase()"));
        await Expect(page.Locator("#param-city-help")).ToHaveTextAsync("Where to report on.");

        // A required parameter left out: the API's 422 shows next to that field.
        await page.GetByRole(AriaRole.Button, new() { Name = "Run" }).ClickAsync();
        await Expect(page.Locator("#param-city-error")).ToContainTextAsync("field required");
        await Expect(page.Locator("#param-city")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator(".form-error")).ToContainTextAsync("parameters.city");

        // A value of the wrong type (2.5 for an integer): the API names the field.
        await page.Locator("#param-city").FillAsync("Oslo");
        await page.Locator("#param-days").FillAsync("2.5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run" }).ClickAsync();
        await Expect(page.Locator("#param-days-error")).ToContainTextAsync("not a valid integer");
        await Expect(page.Locator("#param-city-error")).ToBeHiddenAsync();
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await BrowserFixture.ScreenshotAsync(page, "deployment-run-form");

        // Broken JSON is caught before posting.
        await page.Locator("#param-days").FillAsync("3");
        await page.Locator("#param-options").FillAsync("{not json");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run" }).ClickAsync();
        await Expect(page.Locator("#param-options-error")).ToContainTextAsync("not valid JSON");

        await page.Locator("#param-options").FillAsync("{\"retries\": 2, \"notify\": [\"ops\"]}");
        await page.Locator("#param-stations").FillAsync("[\"blindern\", \"gardermoen\"]");
        await page.Locator("#param-dry_run").CheckAsync();
        await page.Locator("#param-unit").SelectOptionAsync(new SelectOptionValue { Label = "imperial" });
        await page.Locator("#run-name").FillAsync("oslo-report-" + suffix);
        await page.GetByRole(AriaRole.Button, new() { Name = "Run" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/runs/[0-9a-f-]{36}$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("oslo-report-" + suffix);
        var runId = Guid.Parse(page.Url[^36..]);
        var run = await fixture.Api.FlowRunJsonAsync(runId);
        Assert.Equal(deploymentId, (string)run["deployment_id"]!);
        var expected = new JsonObject
        {
            ["threshold"] = 0.5,
            ["city"] = "Oslo",
            ["days"] = 3,
            ["dry_run"] = true,
            ["unit"] = "imperial",
            ["stations"] = new JsonArray("blindern", "gardermoen"),
            ["options"] = new JsonObject { ["retries"] = 2, ["notify"] = new JsonArray("ops") },
        };
        Assert.True(JsonNode.DeepEquals(expected, run["parameters"]), $"recorded parameters: {run["parameters"]!.ToJsonString()}");
        await Expect(page.Locator("pre.json").First).ToContainTextAsync("\"gardermoen\"");
    }

    [BrowserFact]
    public async Task RunForm_UnknownDeployment_SaysNotFound()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/deployments/{Guid.NewGuid()}/run");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Deployment not found");
    }
}
