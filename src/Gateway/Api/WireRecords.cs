using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using OrleansFlow.Grains.States;
using Wire = OrleansFlow.Client;

namespace OrleansFlow.Gateway.Api;

/// <summary>Turns the wire records a request binds to (<c>OrleansFlow.Client</c>, the contract the typed client sends)
/// into the grains' values, checking what the JSON binding cannot; each failure names the field.</summary>
internal static class WireRecords
{
    /// <summary>The longest state name a proposal may carry.</summary>
    private const int MaxStateNameLength = 5000;

    private static readonly JsonTypeInfo<IReadOnlyDictionary<string, IReadOnlyList<Wire.TaskRunInput>>> InputsType =
        (JsonTypeInfo<IReadOnlyDictionary<string, IReadOnlyList<Wire.TaskRunInput>>>)
        Wire.Json.ClientJsonContext.Default.GetTypeInfo(typeof(IReadOnlyDictionary<string, IReadOnlyList<Wire.TaskRunInput>>))!;

    /// <summary>Checks the proposed state and turns it into the grains' proposal.</summary>
    /// <exception cref="ApiValidationException">A field is wrong; <paramref name="field"/> prefixes its path.</exception>
    public static ProposedState ToProposal(this Wire.StateCreate state, string field) => new()
    {
        Type = state.Type.ToGrains(),
        Name = state.Name is { Length: > MaxStateNameLength }
            ? throw ApiValidationException.Field($"{field}.name", $"must be at most {MaxStateNameLength} characters")
            : state.Name,
        Message = state.Message,
        Data = state.Data is { ValueKind: JsonValueKind.Null } ? null : state.Data,
        StateDetails = state.StateDetails?.ToGrains() ?? StateDetails.Empty,
    };

    /// <summary>The grains' state type of the same name.</summary>
    public static StateType ToGrains(this Wire.StateType type) => type switch
    {
        Wire.StateType.Scheduled => StateType.Scheduled,
        Wire.StateType.Pending => StateType.Pending,
        Wire.StateType.Running => StateType.Running,
        Wire.StateType.Completed => StateType.Completed,
        Wire.StateType.Failed => StateType.Failed,
        Wire.StateType.Cancelled => StateType.Cancelled,
        Wire.StateType.Crashed => StateType.Crashed,
        Wire.StateType.Paused => StateType.Paused,
        Wire.StateType.Cancelling => StateType.Cancelling,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown state type."),
    };

    /// <summary>The grains' copy of a state's details.</summary>
    public static StateDetails ToGrains(this Wire.StateDetails details) => new()
    {
        FlowRunId = details.FlowRunId,
        TaskRunId = details.TaskRunId,
        ChildFlowRunId = details.ChildFlowRunId,
        ScheduledTime = details.ScheduledTime,
        CacheKey = details.CacheKey,
        CacheExpiration = details.CacheExpiration,
        UntrackableResult = details.UntrackableResult,
        PauseTimeout = details.PauseTimeout,
        PauseReschedule = details.PauseReschedule,
        PauseKey = details.PauseKey,
        RefreshCache = details.RefreshCache,
        Retriable = details.Retriable,
        TransitionId = details.TransitionId,
        RunInputKeyset = details.RunInputKeyset,
    };

    /// <summary>The grains' copy of a flow run's policy, sent as <paramref name="field"/> of the body.</summary>
    /// <exception cref="ApiValidationException">A retry count or delay is out of range (a 422 naming it).</exception>
    public static Grains.FlowRuns.FlowRunPolicy ToGrains(this Wire.FlowRunPolicy policy, string field)
    {
        var grains = new Grains.FlowRuns.FlowRunPolicy
        {
            MaxRetries = policy.MaxRetries,
            RetryDelaySeconds = policy.RetryDelaySeconds,
            Retries = policy.Retries,
            RetryDelay = policy.RetryDelay,
            PauseKeys = policy.PauseKeys ?? [],
            Resuming = policy.Resuming,
        };
        return grains.Problem() is var (name, reason) ? throw ApiValidationException.Field($"{field}.{name}", reason) : grains;
    }

    /// <summary>The grains' copy of a task run's policy.</summary>
    public static Grains.TaskRuns.TaskRunPolicy ToGrains(this Wire.TaskRunPolicy policy) => new()
    {
        MaxRetries = policy.MaxRetries,
        RetryDelaySeconds = policy.RetryDelaySeconds,
        Retries = policy.Retries,
        RetryDelay = policy.RetryDelay,
        RetryJitterFactor = policy.RetryJitterFactor,
    };

    /// <summary>A JSON object the record holds as a node, as the element the grains and catalogs keep (null stays null).</summary>
    public static JsonElement? ToElement(this JsonObject? value) =>
        value is null ? null : JsonSerializer.SerializeToElement(value, Wire.Json.ClientJsonContext.Default.JsonObject);

    /// <summary>A task run's inputs as the object the grains store: the same JSON the client sent for Prefect's shapes
    /// (absent ids and names left out, other fields kept); empty when none.</summary>
    /// <exception cref="ApiValidationException">An input's list holds a null (System.Text.Json does not check a list's
    /// elements against their nullability; a 422 naming it, instead of a graph that no longer renders).</exception>
    public static JsonElement TaskInputs(IReadOnlyDictionary<string, IReadOnlyList<Wire.TaskRunInput>>? inputs)
    {
        foreach (var (name, list) in inputs ?? new Dictionary<string, IReadOnlyList<Wire.TaskRunInput>>())
        {
            if (list is null)
            {
                throw new ApiValidationException([new ApiError(["body", "task_inputs", name], "none is not an allowed value", "type_error.none.not_allowed")]);
            }

            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is null)
                {
                    throw new ApiValidationException([new ApiError(["body", "task_inputs", name, i], "none is not an allowed value", "type_error.none.not_allowed")]);
                }
            }
        }

        return JsonSerializer.SerializeToElement(inputs ?? new Dictionary<string, IReadOnlyList<Wire.TaskRunInput>>(), InputsType);
    }
}
