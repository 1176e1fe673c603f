using System.Text.Json.Nodes;

namespace OrleansFlow.Cli.Commands;

/// <summary>What a delete command is about to remove: how to name it in the question and the result line
/// (<c>deployment 'etl/nightly'</c>), its JSON as it is now (what <c>-o json</c> prints once it is gone), and the call
/// that removes it.</summary>
internal sealed record Deletion(string What, JsonNode Current, Func<CancellationToken, Task> DeleteAsync)
{
    /// <summary>Set when there is nothing left to do (a key already revoked): the line printed instead, with nothing asked
    /// and exit code 0.</summary>
    public string? AlreadyDone { get; init; }
}
