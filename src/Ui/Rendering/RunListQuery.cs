using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Ui.Rendering;

/// <summary>The flow-runs and task-runs pages' filter as it appears in the query string (<c>?state=FAILED&amp;flow=etl&amp;
/// deployment=nightly&amp;tag=prod&amp;range=24h&amp;q=nightly&amp;sort=EXPECTED_START_TIME_DESC&amp;page=2</c>), turned into a
/// Prefect filter body that the indexed run queries answer one page at a time.</summary>
internal sealed record RunListQuery
{
    public const int PageSize = 25;

    /// <summary>Counts stop here: past it the page shows "10,000+" (counting a million matching runs exactly would
    /// cost more than the rest of the page).</summary>
    public const long CountCap = 10_000;

    public static IReadOnlyDictionary<string, string> Sorts { get; } = new Dictionary<string, string>
    {
        ["EXPECTED_START_TIME_DESC"] = "Newest first",
        ["EXPECTED_START_TIME_ASC"] = "Oldest first",
        ["START_TIME_DESC"] = "Started, newest first",
        ["END_TIME_DESC"] = "Ended, newest first",
        ["NAME_ASC"] = "Name A→Z",
        ["NAME_DESC"] = "Name Z→A",
    };

    /// <summary>The task-runs page's sorts: Prefect sorts task runs as flow runs, except by start time.</summary>
    public static IReadOnlyDictionary<string, string> TaskRunSorts { get; } =
        Sorts.Where(sort => sort.Key != "START_TIME_DESC").ToDictionary(sort => sort.Key, sort => sort.Value);

    public static IReadOnlyDictionary<string, TimeSpan?> Ranges { get; } = new Dictionary<string, TimeSpan?>
    {
        ["1h"] = TimeSpan.FromHours(1),
        ["24h"] = TimeSpan.FromDays(1),
        ["7d"] = TimeSpan.FromDays(7),
        ["30d"] = TimeSpan.FromDays(30),
        ["all"] = null,
    };

    public IReadOnlyList<StateType> States { get; init; } = [];

    public string? Flow { get; init; }

    /// <summary>Part of a deployment's name (runs of any deployment whose name contains it).</summary>
    public string? Deployment { get; init; }

    public string? Tag { get; init; }

    /// <summary>Only this flow's runs (the flow page's links; exact where <see cref="Flow"/> matches part of a name).</summary>
    public Guid? FlowId { get; init; }

    /// <summary>Only this deployment's runs.</summary>
    public Guid? DeploymentId { get; init; }

    /// <summary>Expected start at or after this (a chart bucket's start).</summary>
    public DateTimeOffset? After { get; init; }

    /// <summary>Expected start before this (a chart bucket's end, exclusive).</summary>
    public DateTimeOffset? Before { get; init; }

    public string? Search { get; init; }

    public string Range { get; init; } = "all";

    public string Sort { get; init; } = "EXPECTED_START_TIME_DESC";

    public int Page { get; init; } = 1;

    /// <summary>The list page this query belongs to: <c>/runs</c> (flow runs) or <c>/task-runs</c> (task runs, filtered by
    /// the same state, tag, name and time fields of theirs).</summary>
    public string Path { get; init; } = "/runs";

    /// <summary>The sorts the list page offers.</summary>
    public IReadOnlyDictionary<string, string> SortChoices => Path == "/task-runs" ? TaskRunSorts : Sorts;

    public static RunListQuery From(string[]? states, string? flow, string? tag, string? search, string? range, string? sort, int? page,
        string? deployment = null, string? flowId = null, string? deploymentId = null, string? after = null, string? before = null) => new()
    {
        FlowId = Guid.TryParse(flowId, out var f) ? f : null,
        DeploymentId = Guid.TryParse(deploymentId, out var d) ? d : null,
        After = Time(after),
        Before = Time(before),
        States = (states ?? []).SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(s => Enum.TryParse<StateType>(s, ignoreCase: true, out var type) ? type : (StateType?)null)
            .OfType<StateType>().Distinct().ToList(),
        Flow = Blank(flow),
        Deployment = Blank(deployment),
        Tag = Blank(tag),
        Search = Blank(search),
        Range = range is not null && Ranges.ContainsKey(range) ? range : "all",
        Sort = sort is not null && Sorts.ContainsKey(sort) ? sort : "EXPECTED_START_TIME_DESC",
        Page = page is > 0 and < 1_000_000 ? page.Value : 1,
    };

    /// <summary>The same query for the task-runs page (its sorts; the fields task runs do not have are dropped).</summary>
    public RunListQuery ForTaskRuns() => this with
    {
        Path = "/task-runs",
        Deployment = null,
        DeploymentId = null,
        Sort = TaskRunSorts.ContainsKey(Sort) ? Sort : "EXPECTED_START_TIME_DESC",
    };

    /// <summary>The filter body (without paging when <paramref name="paged"/> is false, for counts): the run fields go in
    /// the <c>task_runs</c> section on the task-runs page, <c>flow_runs</c> otherwise.</summary>
    public JsonElement ToFilter(DateTimeOffset now, bool paged)
    {
        var runs = new JsonObject();
        if (States.Count > 0)
        {
            runs["state"] = new JsonObject { ["type"] = new JsonObject { ["any_"] = new JsonArray([.. States.Select(s => (JsonNode)StateStyle.Wire(s))]) } };
        }

        if (Tag is not null)
        {
            runs["tags"] = new JsonObject { ["all_"] = new JsonArray(Tag) };
        }

        if (Search is not null)
        {
            runs["name"] = new JsonObject { ["like_"] = Search };
        }

        var expected = new JsonObject();
        var after = Ranges[Range] is { } window ? now - window : (DateTimeOffset?)null;
        if (After is { } from && (after is null || from > after))
        {
            after = from;
        }

        if (after is { } a)
        {
            expected["after_"] = a.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        }

        // "Last 24h" is [now - 24h, now]: runs scheduled after now are not in it. Prefect's before_ includes the time
        // itself; a bucket's end belongs to the next bucket.
        var until = Before?.AddTicks(-10);
        if (Ranges[Range] is not null && (until is null || now < until))
        {
            until = now;
        }

        if (until is { } before)
        {
            expected["before_"] = before.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        }

        if (expected.Count > 0)
        {
            runs["expected_start_time"] = expected;
        }

        if (DeploymentId is { } deploymentId)
        {
            runs["deployment_id"] = new JsonObject { ["any_"] = new JsonArray(deploymentId.ToString()) };
        }

        var body = new JsonObject { [Path == "/task-runs" ? "task_runs" : "flow_runs"] = runs };
        if (Flow is not null)
        {
            body["flows"] = new JsonObject { ["name"] = new JsonObject { ["like_"] = Flow } };
        }

        if (FlowId is { } flowId)
        {
            var flows = body["flows"] as JsonObject ?? [];
            flows["id"] = new JsonObject { ["any_"] = new JsonArray(flowId.ToString()) };
            body["flows"] = flows;
        }

        if (Deployment is not null)
        {
            body["deployments"] = new JsonObject { ["name"] = new JsonObject { ["like_"] = Deployment } };
        }

        if (paged)
        {
            body["sort"] = Sort;
            body["limit"] = PageSize;
            body["offset"] = (Page - 1) * PageSize;
        }

        return JsonSerializer.SerializeToElement(body);
    }

    /// <summary>This query's URL, with the page changed.</summary>
    public string Url(int? page = null)
    {
        var query = new List<KeyValuePair<string, string?>>();
        query.AddRange(States.Select(s => new KeyValuePair<string, string?>("state", StateStyle.Wire(s))));
        Add(query, "flow", Flow);
        Add(query, "deployment", Deployment);
        Add(query, "flow_id", FlowId?.ToString());
        Add(query, "deployment_id", DeploymentId?.ToString());
        Add(query, "after", After is { } from ? Format.Iso(from) : null);
        Add(query, "before", Before is { } to ? Format.Iso(to) : null);
        Add(query, "tag", Tag);
        Add(query, "q", Search);
        Add(query, "range", Range == "all" ? null : Range);
        Add(query, "sort", Sort == "EXPECTED_START_TIME_DESC" ? null : Sort);
        var p = page ?? Page;
        Add(query, "page", p == 1 ? null : p.ToString(CultureInfo.InvariantCulture));
        return QueryHelpers.AddQueryString(Path, query);
    }

    private static void Add(List<KeyValuePair<string, string?>> query, string key, string? value)
    {
        if (value is not null)
        {
            query.Add(new(key, value));
        }
    }

    private static DateTimeOffset? Time(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
