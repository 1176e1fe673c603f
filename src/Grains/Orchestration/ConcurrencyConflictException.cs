namespace OrleansFlow.Grains.Orchestration;

/// <summary>A grain's row changed between its read and its write (another server applied a transition first).</summary>
public sealed class ConcurrencyConflictException(string message) : Exception(message);
