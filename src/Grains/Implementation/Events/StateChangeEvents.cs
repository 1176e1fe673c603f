using System.Buffers;
using System.Globalization;
using System.Text.Json;
using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.Json;
using OrleansFlow.Grains.States;
using OrleansFlow.Grains.TaskRuns;

namespace OrleansFlow.Grains.Events;

/// <summary>The events of run state changes, in Prefect 3's shape: <c>prefect.flow-run.{state name}</c> about
/// <c>prefect.flow-run.{id}</c> (labels: name, run count, state message, name, timestamp and type), related to the run's
/// flow, deployment, work queue, work pool, parent task run and tags; the same for task runs, related to their flow run
/// too. The event's id is the new state's id, and it follows the previous state's event when that state is less than five
/// minutes older (as Prefect does: close events may arrive out of order, far ones cannot).</summary>
internal static class StateChangeEvents
{
    /// <summary>Prefect truncates state messages in events at this length.</summary>
    public const int MaxMessageLength = 100_000;

    private static readonly TimeSpan TightTiming = TimeSpan.FromMinutes(5);

    /// <summary>The event of <paramref name="run"/> entering <paramref name="validated"/> from <paramref name="initial"/>.</summary>
    public static Event ForFlowRun(FlowRun run, State? initial, State validated, IReadOnlyList<Resource> related, DateTimeOffset received) =>
        Build("flow-run", run.Id, run.Name, run.RunCount, initial, validated, related, received);

    /// <summary>The event of <paramref name="run"/> entering <paramref name="validated"/> from <paramref name="initial"/>.</summary>
    public static Event ForTaskRun(TaskRun run, State? initial, State validated, IReadOnlyList<Resource> related, DateTimeOffset received) =>
        Build("task-run", run.Id, run.Name, run.RunCount, initial, validated, related, received);

    /// <summary>A <c>tag</c> resource per distinct tag, in order.</summary>
    public static IEnumerable<Resource> Tags(IEnumerable<string> tags) =>
        tags.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(tag => Resource.Related($"prefect.tag.{tag}", "tag"));

    /// <summary>Prefect's time label format (Python's <c>isoformat()</c> of an aware UTC time).</summary>
    public static string Timestamp(DateTimeOffset time) =>
        UtcTimeText.Prefect(time);

    private static Event Build(string kind, Guid id, string name, int runCount, State? initial, State validated, IReadOnlyList<Resource> related,
        DateTimeOffset received)
    {
        var occurred = validated.Timestamp;
        var tight = initial is not null && (occurred - initial.Timestamp).Duration() < TightTiming;
        return new Event
        {
            Id = validated.Id,
            Occurred = occurred,
            Name = $"prefect.{kind}.{validated.Name}",
            Resource = Resource.Of($"prefect.{kind}.{id:D}",
                (Resource.NameLabel, name),
                ("prefect.run-count", runCount.ToString(CultureInfo.InvariantCulture)),
                ("prefect.state-message", Truncated(validated.Message) ?? ""),
                ("prefect.state-name", validated.Name),
                ("prefect.state-timestamp", Timestamp(validated.Timestamp)),
                ("prefect.state-type", TypeName(validated.Type))),
            Related = related,
            Payload = Payload(initial, validated),
            Follows = tight ? initial!.Id : null,
            Received = received,
        };
    }

    private static JsonElement Payload(State? initial, State validated)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("intended");
            if (initial is null)
            {
                writer.WriteNull("from");
            }
            else
            {
                writer.WriteString("from", TypeName(initial.Type));
            }

            writer.WriteString("to", TypeName(validated.Type));
            writer.WriteEndObject();
            WriteState(writer, "initial_state", initial);
            WriteState(writer, "validated_state", validated);
            writer.WriteEndObject();
        }

        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }

    private static void WriteState(Utf8JsonWriter writer, string property, State? state)
    {
        if (state is null)
        {
            writer.WriteNull(property);
            return;
        }

        writer.WriteStartObject(property);
        writer.WriteString("type", TypeName(state.Type));
        writer.WriteString("name", state.Name);
        if (Truncated(state.Message) is { Length: > 0 } message)
        {
            writer.WriteString("message", message);
        }

        if (state.Type == StateType.Paused)
        {
            writer.WriteString("pause_reschedule", state.StateDetails.PauseReschedule ? "true" : "false");
        }

        writer.WriteEndObject();
    }

    private static string? Truncated(string? message) =>
        message is { Length: > MaxMessageLength } ? message[..MaxMessageLength] : message;

    /// <summary>A state type as the wire writes it (<c>COMPLETED</c>).</summary>
    private static string TypeName(StateType type) => JsonNamingPolicy.SnakeCaseUpper.ConvertName(type.ToString());
}
