using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Client;

namespace OrleansFlow.Cli.Commands;

/// <summary>What every client command shares: the global <c>--api</c>, <c>--api-key</c> and <c>--output</c> options (recursive
/// options of the root, so they are accepted anywhere on the line: <c>orleansflow --api URL work-pool ls</c> or after the
/// command), and an action wrapper that turns a <see cref="CliException"/> into one line on the error writer and a non-zero
/// exit code. One instance serves every group of a command tree.</summary>
internal sealed class ClientCommand(CliConsole console)
{
    // For a terminal or a script, not a web page: '+', quotes and non-ASCII text are written as themselves, not \uXXXX.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public Option<string?> Api { get; } = new("--api")
    {
        Description = "The API root (default ORLEANSFLOW_API_URL, or http://127.0.0.1:4200/api).",
        Recursive = true,
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = "The API key to send (default ORLEANSFLOW_API_KEY, else PREFECT_API_KEY).",
        Recursive = true,
    };

    public Option<string> Output { get; } = new Option<string>("--output", "-o")
    {
        Description = "table (default) or json (the API's JSON).",
        Recursive = true,
        DefaultValueFactory = _ => "table",
    }.OneOf("table", "json");

    public CliConsole Console { get; } = console;

    /// <summary>Puts the global options on <paramref name="root"/>; every command under it accepts them, before or after its name.</summary>
    public void AddGlobalOptions(Command root)
    {
        root.Options.Add(Api);
        root.Options.Add(ApiKey);
        root.Options.Add(Output);
    }

    /// <summary>A command group (<c>deployment</c>, <c>work-pool</c>...); the global options reach it from the root.</summary>
    public Command Group(string name, string description, params Command[] subcommands)
    {
        var group = new Command(name, description);
        foreach (var subcommand in subcommands)
        {
            group.Subcommands.Add(subcommand);
        }

        return group;
    }

    /// <summary>Sets <paramref name="command"/>'s action: <paramref name="run"/> gets a client for <c>--api</c>.</summary>
    public void SetAction(Command command, Func<ParseResult, OrleansFlowClient, CancellationToken, Task> run)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                using var client = ApiCalls.Connect(parse.GetValue(Api) ?? ApiCalls.DefaultUrl, parse.GetValue(ApiKey));
                await run(parse, client, cancellationToken).ConfigureAwait(false);
                return 0;
            }
            catch (CliException ex)
            {
                await Console.Error.WriteLineAsync($"orleansflow: {ex.Message}").ConfigureAwait(false);
                return ex.ExitCode;
            }
        });
    }

    /// <summary>Makes <paramref name="command"/> a delete: it gains <c>--yes</c>/<c>-y</c>; <paramref name="resolve"/> finds what
    /// to delete (a missing one is reported before anything is asked); on a terminal the user is asked to confirm unless
    /// <c>--yes</c> is given; then it is deleted and named, or printed as it was with <c>-o json</c>. Without a terminal
    /// there is no question, as in Prefect (a script is never left waiting for an answer). <paramref name="verb"/> is the verb
    /// of the question and the result line (<c>delete</c>, <c>revoke</c>).</summary>
    public void SetDeleteAction(Command command, Func<ParseResult, OrleansFlowClient, CancellationToken, Task<Deletion>> resolve, string verb = "delete")
    {
        var yes = new Option<bool>("--yes", "-y") { Description = $"Do not ask before you {verb} (scripts are never asked)." };
        command.Options.Add(yes);
        SetAction(command, async (parse, api, ct) =>
        {
            var deletion = await resolve(parse, api, ct).ConfigureAwait(false);
            if (deletion.AlreadyDone is { } done)
            {
                if (Json(parse))
                {
                    WriteJson(deletion.Current);
                }
                else
                {
                    Console.Out.WriteLine(done);
                }

                return;
            }

            if (!parse.GetValue(yes) && Console.Interactive)
            {
                await Console.Error.WriteAsync($"Are you sure you want to {verb} {deletion.What}? [y/N]: ").ConfigureAwait(false);
                var answer = (await Console.In.ReadLineAsync(ct).ConfigureAwait(false))?.Trim();
                if (!string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) && !string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
                {
                    throw new CliException($"{verb} aborted: {deletion.What} is unchanged");
                }
            }

            await deletion.DeleteAsync(ct).ConfigureAwait(false);
            if (Json(parse))
            {
                WriteJson(deletion.Current);
                return;
            }

            Console.Out.WriteLine($"{char.ToUpperInvariant(verb[0])}{verb[1..]}d {deletion.What}.");
        });
    }

    /// <summary>An <c>ls</c>'s <c>--limit</c>: how many to list, <paramref name="defaultLimit"/> unless given, 1 to 200 (the
    /// API's most per request).</summary>
    public static Option<int> LimitOption(string plural, int defaultLimit, params string[] aliases) =>
        new Option<int>("--limit", aliases) { Description = $"The most {plural} to list (default {defaultLimit}, at most 200).", DefaultValueFactory = _ => defaultLimit }
            .Check(value => value is >= 1 and <= 200, "--limit must be between 1 and 200.");

    public bool Json(ParseResult parse) => parse.GetValue(Output) == "json";

    /// <summary>What every <c>ls</c> does before its table: with <c>-o json</c> prints <paramref name="items"/> (<c>[]</c> when
    /// empty); otherwise, when there are none, prints <c>No <paramref name="plural"/> found.</c> as Prefect does. True when
    /// that was all there is to print.</summary>
    public bool WriteJsonOrNone(ParseResult parse, JsonArray items, string plural)
    {
        if (Json(parse))
        {
            WriteJson(items);
            return true;
        }

        if (items.Count == 0)
        {
            Console.Out.WriteLine($"No {plural} found.");
            return true;
        }

        return false;
    }

    /// <summary>Prints the API's JSON, indented.</summary>
    public void WriteJson(JsonNode? node) => Console.Out.WriteLine(node?.ToJsonString(Indented) ?? "null");

    /// <summary>Prints <c>name: value</c> lines, names aligned.</summary>
    public void WriteFields(IReadOnlyList<(string Name, string? Value)> fields)
    {
        var width = fields.Max(f => f.Name.Length) + 1;
        foreach (var (name, value) in fields)
        {
            Console.Out.WriteLine($"{(name + ":").PadRight(width)} {value}");
        }
    }

    public void WriteTable(Table table) => table.Write(Console.Out, Console.Width);

    /// <summary>A JSON value as a cell: strings bare, objects and arrays as compact JSON, null as empty.</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonArray array when array.All(a => a is JsonValue v && v.GetValueKind() == JsonValueKind.String) => string.Join(", ", array.Select(a => a!.GetValue<string>())),
        _ => node.ToJsonString(),
    };

    /// <summary>A timestamp from the API shortened to seconds in UTC (<c>2026-11-22 02:55:40Z</c>).</summary>
    public static string Time(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String && DateTimeOffset.TryParse(value.GetValue<string>(),
            System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)
            : Text(node);

    public static string Escape(string segment) => Uri.EscapeDataString(segment);
}
