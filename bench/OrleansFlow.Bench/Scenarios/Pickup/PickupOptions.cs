using System.Globalization;
using OrleansFlow.Bench.Cli;

namespace OrleansFlow.Bench.Scenarios.Pickup;

/// <summary>Options of the <c>pickup</c> scenario.</summary>
internal sealed record PickupOptions
{
    public string Api { get; init; } = "http://127.0.0.1:4200/api";

    /// <summary>Runs created one at a time (each waits for the previous to end): the latency series.</summary>
    public int Runs { get; init; } = 50;

    /// <summary>Runs created at once for the throughput series.</summary>
    public int Burst { get; init; } = 100;

    /// <summary>The worker's limit on concurrent runs (the flow processes at once) during the burst.</summary>
    public int Limit { get; init; } = 4;

    /// <summary>Unmeasured runs first (JIT, connections, disk cache of the flow program).</summary>
    public int Warmup { get; init; } = 3;

    /// <summary>The flow program's command; default <c>dotnet PickupFlow.dll</c> built next to the bench.</summary>
    public string? Command { get; init; }

    public string? JsonPath { get; init; }

    public string? Label { get; init; }

    /// <summary>Parses <c>--option value</c> pairs; each error names its option.</summary>
    public static PickupOptions Parse(IReadOnlyList<string> args)
    {
        var options = new PickupOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                throw new CommandLineException($"unexpected argument '{name}'");
            }

            var value = i + 1 < args.Count ? args[++i] : throw new CommandLineException($"{name}: missing value");
            options = name switch
            {
                "--api" => options with
                {
                    Api = Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                        ? value.TrimEnd('/')
                        : throw new CommandLineException($"{name}: '{value}' is not an absolute http(s) URL"),
                },
                "--runs" => options with { Runs = Int(name, value, 1) },
                "--burst" => options with { Burst = Int(name, value, 0) },
                "--limit" => options with { Limit = Int(name, value, 1) },
                "--warmup" => options with { Warmup = Int(name, value, 0) },
                "--command" => options with { Command = value },
                "--json" => options with { JsonPath = Path.GetFullPath(value) },
                "--label" => options with { Label = value },
                _ => throw new CommandLineException($"{name}: unknown option"),
            };
        }

        return options;
    }

    private static int Int(string name, string value, int min) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= 100_000
            ? n
            : throw new CommandLineException($"{name}: '{value}' is not an integer between {min} and 100000");
}
