namespace OrleansFlow.Client;

/// <summary>One line for <c>POST /api/logs/</c> (Prefect's <c>LogCreate</c>).</summary>
/// <param name="Name">The logger's name.</param>
/// <param name="Level">The level as Python numbers it (10 debug, 20 info, 30 warning, 40 error, 50 critical).</param>
/// <param name="Message">The text.</param>
/// <param name="Timestamp">When it was logged.</param>
/// <param name="FlowRunId">The flow run.</param>
/// <param name="TaskRunId">The task run, when a task logged it; null for a flow's own line.</param>
public sealed record LogCreate(string Name, int Level, string Message, DateTimeOffset Timestamp, Guid FlowRunId, Guid? TaskRunId = null);
