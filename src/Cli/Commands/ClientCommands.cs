using System.CommandLine;

namespace OrleansFlow.Cli.Commands;

/// <summary>The commands that talk to a running server over HTTP: <c>deployment</c>, <c>work-pool</c>, <c>work-queue</c>,
/// <c>flow</c>, <c>flow-run</c>, <c>task-run</c>, <c>artifact</c>, <c>block</c>, <c>concurrency-limit</c>,
/// <c>global-concurrency-limit</c>, <c>variable</c>, <c>deploy</c> and <c>api-key</c>.</summary>
internal static class ClientCommands
{
    /// <summary>Adds the client command groups to <paramref name="root"/>, writing to <paramref name="console"/>.</summary>
    public static void AddTo(Command root, CliConsole console)
    {
        // One ClientCommand for the whole tree: --api, --api-key and --output are the root's, so they work anywhere on the line.
        var cli = new ClientCommand(console);
        cli.AddGlobalOptions(root);
        root.Subcommands.Add(DeploymentCommands.Create(cli));
        root.Subcommands.Add(WorkPoolCommands.Create(cli));
        root.Subcommands.Add(WorkQueueCommands.Create(cli));
        root.Subcommands.Add(FlowCommands.Create(cli));
        root.Subcommands.Add(FlowRunCommands.Create(cli));
        root.Subcommands.Add(TaskRunCommands.Create(cli));
        root.Subcommands.Add(ArtifactCommands.Create(cli));
        root.Subcommands.Add(BlockCommands.Create(cli));
        root.Subcommands.Add(ConcurrencyLimitCommands.Create(cli));
        root.Subcommands.Add(GlobalConcurrencyLimitCommands.Create(cli));
        root.Subcommands.Add(VariableCommands.Create(cli));
        root.Subcommands.Add(DeployCommand.Create(cli));
        root.Subcommands.Add(ApiKeyCommands.Create(cli));
    }
}
