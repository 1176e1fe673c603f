namespace OrleansFlow.Bench.Cli;

/// <summary>The outcome of parsing: either a help request (<see cref="Options"/> is null) or a run.</summary>
internal sealed record ParsedCommand(HotPathOptions? Options)
{
    public static ParsedCommand Help { get; } = new((HotPathOptions?)null);
}
