using System.Globalization;

namespace OrleansFlow.Bench.Cli;

/// <summary>Parses <c>hotpath --option value ...</c> (also <c>--option=value</c>); every error names its option.</summary>
internal static class CommandLineParser
{
    private const string Scenario = "hotpath";

    public static ParsedCommand Parse(IReadOnlyList<string> args)
    {
        if (args.Any(a => a is "-h" or "--help" or "-?" or "help"))
        {
            return ParsedCommand.Help;
        }

        if (args.Count == 0)
        {
            throw new CommandLineException($"missing scenario: expected '{Scenario}'");
        }

        if (args[0] != Scenario)
        {
            throw new CommandLineException($"unknown scenario '{args[0]}': expected '{Scenario}'");
        }

        var options = new HotPathOptions();
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new CommandLineException($"unexpected argument '{arg}'");
            }

            string name;
            string? value;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = arg[..equals];
                value = arg[(equals + 1)..];
            }
            else
            {
                name = arg;
                value = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
            }

            if (value is null)
            {
                throw new CommandLineException($"{name}: missing value");
            }

            options = name switch
            {
                "--api" => options with { Api = ParseApi(name, value) },
                "--concurrency" => options with { Concurrency = ParseIntList(name, value, min: 1, max: 10_000) },
                "--duration" => options with { DurationSeconds = ParseSeconds(name, value, allowZero: false) },
                "--warmup" => options with { WarmupSeconds = ParseSeconds(name, value, allowZero: true) },
                "--tasks-per-flow" => options with { TasksPerFlow = ParseInt(name, value, min: 0, max: 10_000) },
                "--timeout" => options with { TimeoutSeconds = ParseSeconds(name, value, allowZero: false) },
                "--json" => options with { JsonPath = ParseOutputPath(name, value) },
                "--server-pid" => options with { ServerPids = ParseServerPids(name, value) },
                "--label" => options with { Label = ParseNonEmpty(name, value) },
                "--flow-name" => options with { FlowName = ParseNonEmpty(name, value) },
                _ => throw new CommandLineException($"{name}: unknown option"),
            };
        }

        return new ParsedCommand(options);
    }

    private static string ParseApi(string name, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CommandLineException($"{name}: '{value}' is not an absolute http(s) URL (e.g. http://127.0.0.1:4200/api)");
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new CommandLineException($"{name}: '{value}' must not have a query or fragment");
        }

        return value.TrimEnd('/');
    }

    private static int ParseInt(string name, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var result) || result < min || result > max)
        {
            throw new CommandLineException($"{name}: '{value}' is not an integer between {min} and {max}");
        }

        return result;
    }

    private static int[] ParseIntList(string name, string value, int min, int max)
    {
        var parts = value.Split(',', StringSplitOptions.TrimEntries);
        var result = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out result[i]) || result[i] < min || result[i] > max)
            {
                throw new CommandLineException(
                    $"{name}: '{parts[i]}' is not an integer between {min} and {max} (expected e.g. 8 or 1,8,32)");
            }
        }

        return result;
    }

    private static double ParseSeconds(string name, string value, bool allowZero)
    {
        var text = value.EndsWith('s') ? value[..^1] : value;
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || double.IsNaN(seconds) || seconds > 86_400 || seconds < 0 || (seconds == 0 && !allowZero))
        {
            var range = allowZero ? "0 or more" : "more than 0";
            throw new CommandLineException($"{name}: '{value}' is not a number of seconds ({range}, at most 86400)");
        }

        return seconds;
    }

    private static int[] ParseServerPids(string name, string value)
    {
        var pids = ParseIntList(name, value, min: 1, max: int.MaxValue);
        foreach (var pid in pids)
        {
            if (!File.Exists($"/proc/{pid}/stat"))
            {
                throw new CommandLineException($"{name}: no process {pid} (needs Linux /proc/{pid}/stat)");
            }
        }

        return pids;
    }

    private static string ParseOutputPath(string name, string value)
    {
        var full = Path.GetFullPath(ParseNonEmpty(name, value));
        var directory = Path.GetDirectoryName(full);
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new CommandLineException($"{name}: directory '{directory}' does not exist");
        }

        return full;
    }

    private static string ParseNonEmpty(string name, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw new CommandLineException($"{name}: value must not be empty") : value;
}
