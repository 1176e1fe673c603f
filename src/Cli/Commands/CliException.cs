namespace OrleansFlow.Cli.Commands;

/// <summary>A failure the user should read as one line (a missing resource, an unreachable server, a refused
/// request); the command prints the message and exits with <see cref="ExitCode"/>.</summary>
internal sealed class CliException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
