using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrleansFlow.Ui.Tests;

/// <summary>The shape of the benchmark's runs, the same in both databases: 12 flows, 8 deployments (one per flow of the
/// first eight; 70% of those flows' runs come from it), every state type (70% completed, 10% failed, 1% crashed, 2%
/// cancelled, running, pending, paused, cancelling, 7.5% scheduled in the next day and 2.5% late), Prefect-style names
/// (<c>brave-otter</c>: 2,000 names, 500 runs each), tags (an environment on every run, a team on half, <c>nightly</c>
/// on 2%) and expected start times spread evenly over the last 60 days.</summary>
internal sealed record BenchData(int Runs, long Loaded, Guid Template, IReadOnlyList<Guid> Flows, IReadOnlyList<Guid> Deployments)
{
    public static readonly string[] FlowNames =
    [
        "etl-orders", "etl-customers", "ml-train", "ml-score", "report-daily", "report-weekly", "sync-crm", "sync-billing",
        "backup-db", "cleanup-logs", "ingest-events", "notify-users",
    ];

    /// <summary>Adjectives and animals of the run names (index i % 40 and i / 40 % 50).</summary>
    public static readonly string[] Adjectives =
    [
        "brave", "calm", "eager", "fancy", "gentle", "happy", "jolly", "kind", "lively", "merry", "nice", "proud", "silly",
        "witty", "zealous", "able", "bold", "cool", "daring", "fair", "glad", "hardy", "icy", "jumpy", "keen", "lucky",
        "mighty", "noble", "odd", "quick", "rapid", "shy", "tidy", "upbeat", "vivid", "wise", "young", "zany", "amber", "crimson",
    ];

    public static readonly string[] Animals =
    [
        "otter", "fox", "wren", "lynx", "heron", "badger", "bison", "camel", "crane", "dingo", "eagle", "ferret", "gecko",
        "hyena", "ibis", "jackal", "koala", "lemur", "marten", "newt", "ocelot", "panda", "quail", "raven", "seal", "tapir",
        "urchin", "viper", "walrus", "yak", "zebra", "alpaca", "beaver", "cobra", "dove", "egret", "finch", "gibbon", "hare",
        "iguana", "jay", "kiwi", "llama", "mole", "narwhal", "owl", "puma", "robin", "stoat", "toad",
    ];

    public static string DeploymentName(int index) => FlowNames[index] + "-schedule";

    /// <summary>Makes the flows, deployments and template run through the API (upserts: safe on a kept database) and
    /// counts the runs already loaded.</summary>
    public static async Task<BenchData> PrepareAsync(ApiData api, int runs)
    {
        var flows = new List<Guid>();
        foreach (var name in FlowNames)
        {
            flows.Add(await api.FlowAsync(name));
        }

        var deployments = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            using var response = await api.Http.PostAsJsonAsync("deployments/", new JsonObject { ["name"] = DeploymentName(i), ["flow_id"] = flows[i].ToString() });
            response.EnsureSuccessStatusCode();
            deployments.Add(Guid.Parse((string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!));
        }

        using var count = await api.Http.PostAsJsonAsync("flow_runs/count", new JsonObject());
        var loaded = long.Parse(await count.Content.ReadAsStringAsync(), System.Globalization.CultureInfo.InvariantCulture);
        var template = loaded >= runs ? Guid.Empty : await api.FlowRunAsync(flows[0], "template", "COMPLETED", ["prod"],
            new JsonObject { ["date"] = "2026-01-01", ["limit"] = 1000 });
        return new BenchData(runs, loaded, template, flows, deployments);
    }
}
