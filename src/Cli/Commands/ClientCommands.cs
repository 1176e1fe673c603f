using System.CommandLine;

namespace OrleansFlow.Cli.Commands;

/// <summary>The commands that talk to a running server over HTTP: <c>deployment</c>, <c>work-pool</c>,
/// <c>work-queue</c>, <c>flow-run</c>, <c>concurrency-limit</c>, <c>global-concurrency-limit</c>, <c>variable</c>,
/// <c>deploy</c> and <c>api-key</c>.</summary>
internal static class ClientCommands
{
    /// <summary>Adds the client command groups to <paramref name="root"/>, writing to <paramref name="console"/>.</summary>
    public static void AddTo(Command root, CliConsole console)
    {
        // One ClientCommand per group: each group owns its own --api and --output options.
        root.Subcommands.Add(DeploymentCommands.Create(new ClientCommand(console)));
        root.Subcommands.Add(WorkPoolCommands.Create(new ClientCommand(console)));
        root.Subcommands.Add(WorkQueueCommands.Create(new ClientCommand(console)));
        root.Subcommands.Add(FlowRunCommands.Create(new ClientCommand(console)));
        root.Subcommands.Add(ConcurrencyLimitCommands.Create(new ClientCommand(console)));
        root.Subcommands.Add(GlobalConcurrencyLimitCommands.Create(new ClientCommand(console)));
        root.Subcommands.Add(VariableCommands.Create(new ClientCommand(console)));
        root.Subcommands.Add(DeployCommand.Create(new ClientCommand(console)));
        root.Subcommands.Add(ApiKeyCommands.Create(new ClientCommand(console)));
    }
}
