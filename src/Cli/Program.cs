using System.CommandLine;
using OrleansFlow.Cli.Commands;
using OrleansFlow.Cli.Server;

var root = new RootCommand("OrleansFlow: workflow orchestration for .NET, speaking the Prefect 2 API.");
root.Subcommands.Add(ServerCommand.Create());
root.Subcommands.Add(GatewayCommand.Create());
root.Subcommands.Add(OrleansFlow.Cli.Worker.WorkerCommand.Create());
root.Subcommands.Add(SecretsCommand.Create());
ClientCommands.AddTo(root, CliConsole.System);
CliRunner.Prepare(root);
return await CliRunner.InvokeAsync(root, args, Console.Out, Console.Error).ConfigureAwait(false);
