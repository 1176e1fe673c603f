using System.Buffers;
using System.Text.Json;

namespace OrleansFlow.Bench.Scenarios;

/// <summary>
/// JSON request bodies with Prefect's snake_case field names. The set_state bodies are constant and serialized
/// once; the create bodies are written per request into one reusable buffer (one instance per worker, so the
/// returned memory is valid until that worker's next call).
/// </summary>
internal sealed class RequestBodies
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    public RequestBodies() => _writer = new Utf8JsonWriter(_buffer);

    public static ReadOnlyMemory<byte> SetPending { get; } = SetStateBody("PENDING", "Pending");

    public static ReadOnlyMemory<byte> SetRunning { get; } = SetStateBody("RUNNING", "Running");

    public static ReadOnlyMemory<byte> SetCompleted { get; } = SetStateBody("COMPLETED", "Completed");

    /// <summary><c>{"name":...,"tags":[]}</c> for POST /flows/ (an upsert by name).</summary>
    public static ReadOnlyMemory<byte> Flow(string name) => Serialize(w =>
    {
        w.WriteStartObject();
        w.WriteString("name"u8, name);
        w.WriteStartArray("tags"u8);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>POST /flow_runs/ body: a run created in SCHEDULED with its scheduled time.</summary>
    public ReadOnlyMemory<byte> FlowRun(string flowId, string name, DateTimeOffset scheduledTime)
    {
        var w = Begin();
        w.WriteStartObject();
        w.WriteString("flow_id"u8, flowId);
        w.WriteString("name"u8, name);
        w.WriteStartObject("state"u8);
        w.WriteString("type"u8, "SCHEDULED"u8);
        w.WriteString("name"u8, "Scheduled"u8);
        w.WriteStartObject("state_details"u8);
        w.WriteString("scheduled_time"u8, scheduledTime);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("parameters"u8);
        w.WriteEndObject();
        w.WriteStartArray("tags"u8);
        w.WriteEndArray();
        w.WriteEndObject();
        return End();
    }

    /// <summary>POST /task_runs/ body: a run created in PENDING, no retries.</summary>
    public ReadOnlyMemory<byte> TaskRun(string flowRunId, string dynamicKey, string name)
    {
        var w = Begin();
        w.WriteStartObject();
        w.WriteString("flow_run_id"u8, flowRunId);
        w.WriteString("task_key"u8, "bench.task"u8);
        w.WriteString("dynamic_key"u8, dynamicKey);
        w.WriteString("name"u8, name);
        w.WriteStartObject("state"u8);
        w.WriteString("type"u8, "PENDING"u8);
        w.WriteString("name"u8, "Pending"u8);
        w.WriteEndObject();
        w.WriteStartObject("empirical_policy"u8);
        w.WriteNumber("retries"u8, 0);
        w.WriteNumber("retry_delay"u8, 0);
        w.WriteEndObject();
        w.WriteStartArray("tags"u8);
        w.WriteEndArray();
        w.WriteStartObject("task_inputs"u8);
        w.WriteEndObject();
        w.WriteEndObject();
        return End();
    }

    private static ReadOnlyMemory<byte> SetStateBody(string type, string name) => Serialize(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("state"u8);
        w.WriteString("type"u8, type);
        w.WriteString("name"u8, name);
        w.WriteEndObject();
        w.WriteBoolean("force"u8, false);
        w.WriteEndObject();
    });

    private static byte[] Serialize(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private Utf8JsonWriter Begin()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        return _writer;
    }

    private ReadOnlyMemory<byte> End()
    {
        _writer.Flush();
        return _buffer.WrittenMemory;
    }
}
