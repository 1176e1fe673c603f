namespace OrleansFlow.Client;

/// <summary>One line for <c>POST /api/logs/</c>.</summary>
internal sealed record LogEntry(string Name, int Level, string Message, DateTimeOffset Timestamp, Guid FlowRunId, Guid? TaskRunId);
