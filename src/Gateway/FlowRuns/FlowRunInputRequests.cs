using System.Text.Json;

namespace OrleansFlow.Gateway.FlowRuns;

/// <summary>Body of <c>POST /api/flow_runs/{id}/input</c>.</summary>
public sealed class FlowRunInputCreateRequest
{
    /// <summary>The key (required; lowercase letters, numbers and dashes; unique within the run).</summary>
    public string? Key { get; init; }

    /// <summary>The value (required; the client sends a JSON document as a string).</summary>
    public string? Value { get; init; }

    /// <summary>Who sends it.</summary>
    public string? Sender { get; init; }
}

/// <summary>Body of <c>POST /api/flow_runs/{id}/input/filter</c>.</summary>
public sealed class FlowRunInputFilterRequest
{
    /// <summary>The key prefix (required).</summary>
    public string? Prefix { get; init; }

    /// <summary>At most this many inputs (default 1).</summary>
    public int? Limit { get; init; }

    /// <summary>Keys to leave out.</summary>
    public List<string>? ExcludeKeys { get; init; }
}

/// <summary>Body of <c>POST /api/flow_runs/{id}/resume</c> (optional).</summary>
public sealed class FlowRunResumeRequest
{
    /// <summary>For a run paused to wait for input: the input (a JSON object), checked against the pause's schema.</summary>
    public JsonElement? RunInput { get; init; }
}
