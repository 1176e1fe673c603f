using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OrleansFlow.Bench.Reporting;

/// <summary>
/// One JSON object per level on one line, starting with <c>{"scenario":"hotpath"</c>; keys are snake_case and
/// match the recorded baseline's <c>loadgen_results</c> where they overlap.
/// </summary>
internal static class JsonReport
{
    public const string Scenario = "hotpath";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    public static string ToJsonLine(HotPathResult r)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("scenario", Scenario);
            if (r.Label is not null)
            {
                w.WriteString("label", r.Label);
            }

            w.WriteString("api", r.Api);
            w.WriteNumber("concurrency", r.Concurrency);
            w.WriteNumber("duration_target_s", r.DurationTargetSeconds);
            w.WriteNumber("warmup_s", r.WarmupSeconds);
            w.WriteNumber("wall_s", Math.Round(r.WallSeconds, 2));
            w.WriteNumber("tasks_per_flow", r.TasksPerFlow);
            w.WriteNumber("requests", r.Requests);
            w.WriteNumber("requests_per_s", Math.Round(r.RequestsPerSecond, 1));
            w.WriteNumber("transitions", r.Transitions);
            w.WriteNumber("transitions_per_s", Math.Round(r.TransitionsPerSecond, 1));
            w.WriteNumber("flow_runs_completed", r.FlowRunsCompleted);
            w.WriteNumber("flow_runs_per_s", Math.Round(r.FlowRunsPerSecond, 2));
            w.WriteNumber("task_runs_created", r.TaskRunsCreated);
            WriteMs(w, "set_state_p50_ms", r.SetStateP50Ms);
            WriteMs(w, "set_state_p90_ms", r.SetStateP90Ms);
            WriteMs(w, "set_state_p99_ms", r.SetStateP99Ms);
            WriteMs(w, "set_state_max_ms", r.SetStateMaxMs);
            WriteMs(w, "set_state_mean_ms", r.SetStateMeanMs);
            WriteMs(w, "create_p50_ms", r.CreateP50Ms);
            WriteMs(w, "create_p99_ms", r.CreateP99Ms);
            WriteMs(w, "all_p50_ms", r.AllP50Ms);
            WriteMs(w, "all_p90_ms", r.AllP90Ms);
            WriteMs(w, "all_p99_ms", r.AllP99Ms);
            WriteMs(w, "all_max_ms", r.AllMaxMs);
            w.WriteNumber("errors", r.Errors);
            w.WriteStartObject("errors_by_kind");
            foreach (var (kind, count) in r.ErrorsByKind.OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal))
            {
                w.WriteNumber(kind, count);
            }

            w.WriteEndObject();
            w.WriteStartArray("error_samples");
            foreach (var sample in r.ErrorSamples)
            {
                w.WriteStringValue(sample);
            }

            w.WriteEndArray();
            w.WriteNumber("loadgen_cpu_pct", Math.Round(r.LoadgenCpuPercent, 1));
            w.WriteStartArray("server_pids");
            foreach (var pid in r.ServerPids)
            {
                w.WriteNumberValue(pid);
            }

            w.WriteEndArray();
            if (r.ServerCpuPercent is { } serverCpu)
            {
                w.WriteNumber("server_cpu_pct", Math.Round(serverCpu, 1));
            }
            else
            {
                w.WriteNull("server_cpu_pct");
            }

            w.WriteBoolean("interrupted", r.Interrupted);
            w.WriteString("started_at", r.StartedAt);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteMs(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } ms)
        {
            w.WriteNumber(name, Math.Round(ms, 2));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
