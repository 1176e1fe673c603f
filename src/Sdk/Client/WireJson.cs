using System.Globalization;
using System.Text.Json;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Client;

/// <summary>Hand-written reading and writing of the few wire shapes on a flow program's start-up path (a proposed state,
/// an orchestration result). They go through <see cref="JsonElement"/> and <see cref="Utf8JsonWriter"/>, which come
/// precompiled with the runtime, instead of reflection-based serialization, whose first use costs a fresh flow process
/// (a worker's) some 50 ms of JIT before the flow's code can start. The format is <c>OrleansFlowJson</c>'s.</summary>
internal static class WireJson
{
    /// <summary>Writes a proposed state: <c>{"type", "name", "message", "data", "state_details"}</c>.</summary>
    public static void WriteProposal(Utf8JsonWriter writer, RunStateProposal state)
    {
        writer.WriteStartObject();
        writer.WriteString("type", Upper(state.Type));
        writer.WriteString("name", state.Name);
        writer.WriteString("message", state.Message);
        writer.WritePropertyName("data");
        if (state.Data is { } data)
        {
            data.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WritePropertyName("state_details");
        WriteDetails(writer, state.StateDetails);
        writer.WriteEndObject();
    }

    /// <summary>Writes a batch of logs for <c>POST /api/logs/</c>.</summary>
    public static void WriteLogs(Utf8JsonWriter writer, IReadOnlyList<LogEntry> entries)
    {
        writer.WriteStartArray();
        foreach (var entry in entries)
        {
            writer.WriteStartObject();
            writer.WriteString("name", entry.Name);
            writer.WriteNumber("level", entry.Level);
            writer.WriteString("message", entry.Message);
            WriteTime(writer, "timestamp", entry.Timestamp);
            writer.WriteString("flow_run_id", entry.FlowRunId);
            WriteGuid(writer, "task_run_id", entry.TaskRunId);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>The UTF-8 JSON <paramref name="write"/> writes.</summary>
    public static ReadOnlyMemory<byte> Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenMemory;
    }

    /// <summary>What <paramref name="write"/> writes, as an element (state <c>data</c>, a proposal inside a larger body).</summary>
    public static JsonElement Element(Action<Utf8JsonWriter> write)
    {
        using var document = JsonDocument.Parse(Write(write));
        return document.RootElement.Clone();
    }

    /// <summary>Reads <c>{"status", "details", "state"}</c> as <c>set_state</c> answers it.</summary>
    /// <exception cref="OrleansFlowApiException">The answer is not an orchestration result.</exception>
    public static OrchestrationResult ReadResult(JsonElement answer)
    {
        if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String)
        {
            throw new OrleansFlowApiException($"The server answered no orchestration result: {answer}");
        }

        var details = answer.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.Object
            ? new OrchestrationDetails
            {
                Type = String(d, "type") ?? "",
                Reason = String(d, "reason"),
                DelaySeconds = d.TryGetProperty("delay_seconds", out var delay) && delay.ValueKind == JsonValueKind.Number ? (int)delay.GetDouble() : null,
            }
            : new OrchestrationDetails { Type = "" };
        var state = answer.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.Object ? ReadState(s) : null;
        return new OrchestrationResult(state, Enum.Parse<OrchestrationStatus>(status.GetString()!, ignoreCase: true), details);
    }

    /// <summary>Reads a state object.</summary>
    public static State ReadState(JsonElement state) => new()
    {
        Id = Guid(state, "id") ?? System.Guid.Empty,
        Type = Enum.Parse<StateType>(String(state, "type") ?? "", ignoreCase: true),
        Name = String(state, "name") ?? "",
        Timestamp = Time(state, "timestamp") ?? default,
        Message = String(state, "message"),
        Data = state.TryGetProperty("data", out var data) && data.ValueKind != JsonValueKind.Null ? data.Clone() : null,
        StateDetails = state.TryGetProperty("state_details", out var d) && d.ValueKind == JsonValueKind.Object ? ReadDetails(d) : StateDetails.Empty,
    };

    private static StateDetails ReadDetails(JsonElement d) => new()
    {
        FlowRunId = Guid(d, "flow_run_id"),
        TaskRunId = Guid(d, "task_run_id"),
        ChildFlowRunId = Guid(d, "child_flow_run_id"),
        ScheduledTime = Time(d, "scheduled_time"),
        CacheKey = String(d, "cache_key"),
        CacheExpiration = Time(d, "cache_expiration"),
        UntrackableResult = Bool(d, "untrackable_result") ?? false,
        PauseTimeout = Time(d, "pause_timeout"),
        PauseReschedule = Bool(d, "pause_reschedule") ?? false,
        PauseKey = String(d, "pause_key"),
        RefreshCache = Bool(d, "refresh_cache"),
        Retriable = Bool(d, "retriable"),
    };

    private static void WriteDetails(Utf8JsonWriter writer, StateDetails details)
    {
        writer.WriteStartObject();
        WriteGuid(writer, "flow_run_id", details.FlowRunId);
        WriteGuid(writer, "task_run_id", details.TaskRunId);
        WriteGuid(writer, "child_flow_run_id", details.ChildFlowRunId);
        WriteTime(writer, "scheduled_time", details.ScheduledTime);
        writer.WriteString("cache_key", details.CacheKey);
        WriteTime(writer, "cache_expiration", details.CacheExpiration);
        writer.WriteBoolean("untrackable_result", details.UntrackableResult);
        WriteTime(writer, "pause_timeout", details.PauseTimeout);
        writer.WriteBoolean("pause_reschedule", details.PauseReschedule);
        writer.WriteString("pause_key", details.PauseKey);
        WriteBool(writer, "refresh_cache", details.RefreshCache);
        WriteBool(writer, "retriable", details.Retriable);
        writer.WriteEndObject();
    }

    private static string Upper(StateType type) => type.ToString().ToUpperInvariant();

    private static void WriteGuid(Utf8JsonWriter writer, string name, Guid? value)
    {
        if (value is { } id)
        {
            writer.WriteString(name, id);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, time.UtcDateTime.ToString(OrleansFlow.Grains.Json.UtcDateTimeOffsetConverter.Format, CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteBool(Utf8JsonWriter writer, string name, bool? value)
    {
        if (value is { } flag)
        {
            writer.WriteBoolean(name, flag);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static string? String(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static Guid? Guid(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.TryGetGuid(out var id) ? id : null;

    private static bool? Bool(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static DateTimeOffset? Time(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : null;
}
