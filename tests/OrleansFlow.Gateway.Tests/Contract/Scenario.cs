using System.Text.Json.Nodes;

namespace OrleansFlow.Gateway.Tests.Contract;

/// <summary>One recorded scenario of <c>tests/fixtures/prefect-api/traffic/NN-name.jsonl</c>.</summary>
internal sealed class Scenario
{
    private Scenario(string name, IReadOnlyList<RecordedExchange> exchanges)
    {
        Name = name;
        Exchanges = exchanges;
    }

    /// <summary>The file name without extension, e.g. <c>02-task-retries</c>.</summary>
    public string Name { get; }

    /// <summary>The exchanges in recorded (request start) order.</summary>
    public IReadOnlyList<RecordedExchange> Exchanges { get; }

    public static Scenario Load(string name)
    {
        var path = Path.Combine(TrafficDirectory(), name + ".jsonl");
        var exchanges = new List<RecordedExchange>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var node = JsonNode.Parse(line)!.AsObject();
            exchanges.Add(new RecordedExchange(
                node["seq"]!.GetValue<int>(),
                node["method"]!.GetValue<string>(),
                node["path"]!.GetValue<string>(),
                node["query"]?.GetValue<string>() ?? "",
                node["request_json"]?.DeepClone(),
                node["status"]!.GetValue<int>(),
                node["response_json"]?.DeepClone(),
                node["t_ms"]!.GetValue<double>(),
                node["duration_ms"]?.GetValue<double>() ?? 0));
        }

        return new Scenario(name, exchanges);
    }

    /// <summary>The recorded traffic: <c>tests/fixtures/prefect-api/traffic</c> of this repository, found in a folder
    /// above the test binaries.</summary>
    public static string TrafficDirectory() => Path.Combine(FixtureDirectory(), "traffic");

    /// <summary>The Prefect contract kept in the repository: <c>tests/fixtures/prefect-api</c> (openapi.json, traffic/).</summary>
    public static string FixtureDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "prefect-api");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/fixtures/prefect-api not found above " + AppContext.BaseDirectory);
    }
}
