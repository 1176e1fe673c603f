using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace OrleansFlow.Cli.Commands;

/// <summary>How <c>orleansflow</c> runs a command line, shared by the entry point and the tests: no words at all is the
/// help; a group without a subcommand (<c>orleansflow deployment</c>) is that group's help; a usage error is a line or
/// two on standard error (what is wrong, and where the help is), never the whole help page, with exit code 2 as in
/// Prefect's CLI; anything else is the command's own exit code (0, or 1 when it failed).</summary>
internal static class CliRunner
{
    /// <summary>The exit code of a usage error: an unknown command or option, a missing argument, a value of the wrong kind.</summary>
    public const int UsageError = 2;

    /// <summary>Finishes a command tree once every command is in it: plain parse errors and help for bare groups.</summary>
    public static void Prepare(Command root)
    {
        PlainParseErrors.Apply(root);
        ShowHelpWhenBare(root);
    }

    public static async Task<int> InvokeAsync(Command root, string[] args, TextWriter output, TextWriter error)
    {
        var parsed = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parsed.Action is ParseErrorAction usage)
        {
            usage.ShowHelp = false;
            // The errors and the "did you mean" suggestions both go to standard error: standard output is for results,
            // which a script may be parsing.
            await parsed.InvokeAsync(new InvocationConfiguration { Output = error, Error = error }).ConfigureAwait(false);
            await error.WriteLineAsync($"See '{string.Join(' ', CommandPath(parsed))} --help'.").ConfigureAwait(false);
            return UsageError;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }).ConfigureAwait(false);
    }

    private static void ShowHelpWhenBare(Command command)
    {
        if (command.Action is null && command.Subcommands.Count > 0)
        {
            command.SetAction(parse => new HelpAction().Invoke(parse));
        }

        foreach (var subcommand in command.Subcommands)
        {
            ShowHelpWhenBare(subcommand);
        }
    }

    /// <summary>The words of the command a usage error belongs to.</summary>
    private static IEnumerable<string> CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as CommandResult)
        {
            names.Add(result.Command is RootCommand ? "orleansflow" : result.Command.Name);
        }

        names.Reverse();
        return names;
    }
}
