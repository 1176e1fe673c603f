namespace OrleansFlow.Bench.Cli;

/// <summary>An invalid command line; the message names the offending option.</summary>
internal sealed class CommandLineException(string message) : Exception(message);
