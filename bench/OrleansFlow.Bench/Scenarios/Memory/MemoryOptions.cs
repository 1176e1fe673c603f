using System.Globalization;
using OrleansFlow.Bench.Cli;

namespace OrleansFlow.Bench.Scenarios.Memory;

/// <summary>Options of the <c>memory</c> scenario.</summary>
internal sealed record MemoryOptions
{
    public string Api { get; init; } = "http://127.0.0.1:4200/api";

    /// <summary>The server process whose memory is sampled (required).</summary>
    public int ServerPid { get; init; }

    /// <summary>Flow runs to complete (each: create, PENDING, RUNNING, COMPLETED).</summary>
    public int Runs { get; init; } = 1_000_000;

    /// <summary>Runs in flight at once (one request in flight per worker).</summary>
    public int Concurrency { get; init; } = 32;

    /// <summary>How often the server's memory is read.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Seconds to keep sampling after the last run, with the server idle (idle activations get collected).</summary>
    public int Settle { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public string FlowName { get; init; } = "bench-memory";

    public string? JsonPath { get; init; }

    public string? Label { get; init; }

    /// <summary>Parses <c>--option value</c> pairs; each error names its option.</summary>
    public static MemoryOptions Parse(IReadOnlyList<string> args)
    {
        var options = new MemoryOptions();
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
                "--server-pid" => options with { ServerPid = Int(name, value, 1, int.MaxValue) },
                "--runs" => options with { Runs = Int(name, value, 1, 100_000_000) },
                "--concurrency" => options with { Concurrency = Int(name, value, 1, 1024) },
                "--sample-interval-ms" => options with { SampleInterval = TimeSpan.FromMilliseconds(Int(name, value, 10, 60_000)) },
                "--settle" => options with { Settle = Int(name, value, 0, 3600) },
                "--timeout" => options with { Timeout = TimeSpan.FromSeconds(Int(name, value, 1, 3600)) },
                "--flow-name" => options with { FlowName = value },
                "--json" => options with { JsonPath = Path.GetFullPath(value) },
                "--label" => options with { Label = value },
                _ => throw new CommandLineException($"{name}: unknown option"),
            };
        }

        return options.ServerPid > 0 ? options : throw new CommandLineException("--server-pid: required (the server process to sample)");
    }

    private static int Int(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new CommandLineException($"{name}: '{value}' is not an integer between {min} and {max}");
}
