namespace OrleansFlow.Grains.ConcurrencyLimits;

/// <summary>What <see cref="ConcurrencySlots.AcquireAsync"/> got.</summary>
/// <param name="Limits">The limits as their grains answered (the task-run rules' view of them).</param>
/// <param name="Taken">The tags whose slot the claim took (to give back if the run does not become RUNNING).</param>
internal sealed record SlotClaim(IReadOnlyList<ConcurrencyLimit> Limits, IReadOnlyList<string> Taken)
{
    /// <summary>No slot asked for.</summary>
    public static SlotClaim None { get; } = new([], []);
}
