using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace OrleansFlow.Client.Json;

/// <summary>The source-generated serializers of every wire record (snake_case names, upper-case enums, UTC times, nulls
/// left out). Generated at build time, so a fresh process serializes without reflection or a warm-up.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    Converters = [typeof(UtcTimeConverter)])]
[JsonSerializable(typeof(StateCreate))]
[JsonSerializable(typeof(State))]
[JsonSerializable(typeof(SetStateRequest))]
[JsonSerializable(typeof(OrchestrationResult))]
[JsonSerializable(typeof(FlowCreate))]
[JsonSerializable(typeof(Flow))]
[JsonSerializable(typeof(FlowRunCreate))]
[JsonSerializable(typeof(FlowRunUpdate))]
[JsonSerializable(typeof(FlowRun))]
[JsonSerializable(typeof(List<FlowRun>))]
[JsonSerializable(typeof(FlowRunFilter))]
[JsonSerializable(typeof(TaskRunCreate))]
[JsonSerializable(typeof(TaskRunBegin))]
[JsonSerializable(typeof(TaskRunBeginResult))]
[JsonSerializable(typeof(TaskRun))]
[JsonSerializable(typeof(List<TaskRun>))]
[JsonSerializable(typeof(TaskRunFilter))]
[JsonSerializable(typeof(List<LogCreate>))]
[JsonSerializable(typeof(WorkPoolCreate))]
[JsonSerializable(typeof(WorkPool))]
[JsonSerializable(typeof(WorkerHeartbeat))]
[JsonSerializable(typeof(GetScheduledFlowRuns))]
[JsonSerializable(typeof(List<WorkerFlowRun>))]
[JsonSerializable(typeof(DeploymentCreate))]
[JsonSerializable(typeof(Deployment))]
[JsonSerializable(typeof(DeploymentFlowRunCreate))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
public sealed partial class ClientJsonContext : JsonSerializerContext;
