using System.CommandLine;
using System.CommandLine.Invocation;
using OrleansFlow.Cli.Commands;
using OrleansFlow.Cli.Server;

var root = new RootCommand("OrleansFlow: workflow orchestration for .NET, speaking the Prefect 2 API.");
root.Subcommands.Add(ServerCommand.Create());
root.Subcommands.Add(GatewayCommand.Create());
root.Subcommands.Add(OrleansFlow.Cli.Worker.WorkerCommand.Create());
root.Subcommands.Add(SecretsCommand.Create());
ClientCommands.AddTo(root, CliConsole.System);
PlainParseErrors.Apply(root);
// No words at all: the help, as `orleansflow --help` gives it.
var parsed = root.Parse(args.Length == 0 ? ["--help"] : args);
if (parsed.Action is ParseErrorAction usage)
{
    // A usage error is its own line or two (what is wrong, and where the help is), not the whole help page after it.
    usage.ShowHelp = false;
    var exitCode = await parsed.InvokeAsync().ConfigureAwait(false);
    await Console.Error.WriteLineAsync($"See '{string.Join(' ', Usage.CommandPath(parsed))} --help'.").ConfigureAwait(false);
    return exitCode;
}

return await parsed.InvokeAsync().ConfigureAwait(false);

/// <summary>The words of the command a usage error belongs to.</summary>
internal static class Usage
{
    public static IEnumerable<string> CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Command is RootCommand ? "orleansflow" : result.Command.Name);
        }

        names.Reverse();
        return names;
    }
}
