using System.Text.Json.Nodes;

namespace OrleansFlow.Gateway.Tests.Contract;

/// <summary>One request the real Prefect client sent and the real Prefect server's answer, as recorded.</summary>
/// <param name="Seq">Position in the recording (by request start).</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path, e.g. <c>/api/flow_runs/{id}/set_state</c>.</param>
/// <param name="Query">Query string without the <c>?</c>; empty when none.</param>
/// <param name="Request">Request body; null when none.</param>
/// <param name="Status">HTTP status the server answered.</param>
/// <param name="Response">Response body; null when none or JSON null.</param>
/// <param name="StartMs">When the request started, in ms since the recording began.</param>
/// <param name="DurationMs">How long the server took.</param>
internal sealed record RecordedExchange(
    int Seq, string Method, string Path, string Query, JsonNode? Request, int Status, JsonNode? Response, double StartMs, double DurationMs)
{
    /// <summary>When the answer arrived: concurrent requests were decided by the server in about this order.</summary>
    public double EndMs => StartMs + DurationMs;

    public bool IsSetState => Method == "POST" && (Path.EndsWith("/set_state", StringComparison.Ordinal) || Path.EndsWith("/resume", StringComparison.Ordinal));

    /// <summary>The orchestration status of a set_state/resume answer (ACCEPT, REJECT, WAIT, ABORT), else null.</summary>
    public string? OrchestrationStatus => IsSetState ? (Response as JsonObject)?["status"]?.GetValue<string>() : null;

    public override string ToString() => $"seq {Seq} {Method} {Path}{(Query.Length > 0 ? "?" + Query : "")}";
}
