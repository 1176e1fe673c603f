using System.Text.Json;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Silo.WorkPools;

namespace OrleansFlow.Gateway.WorkPools;

/// <summary>Checks of pool and queue request fields; each failure names the field.</summary>
internal static class WorkPoolChecks
{
    public static string Name(string? name, string field = "name")
    {
        var value = Check.MaxLength(Check.NotEmpty(name, field), 255, field);
        return value.IndexOfAny(['/', '%']) >= 0 ? throw ApiValidationException.Field(field, "name must not contain '/' or '%'") : Check.DotSegment(value, field);
    }

    public static int? Limit(int? limit, string field = "concurrency_limit") =>
        limit is < 0 ? throw ApiValidationException.Field(field, "ensure this value is greater than or equal to 0", "value_error.number.not_ge") : limit;

    public static int? Priority(int? priority) =>
        priority is < 1 ? throw ApiValidationException.Field("priority", "ensure this value is greater than or equal to 1", "value_error.number.not_ge") : priority;

    /// <summary>A PATCH limit: (no change, clear, value).</summary>
    public static (bool Clear, int? Value) PatchedLimit(JsonElement limit) => limit.ValueKind switch
    {
        JsonValueKind.Undefined => (false, null),
        JsonValueKind.Null => (true, null),
        JsonValueKind.Number when limit.TryGetInt32(out var n) => (false, Limit(n)),
        _ => throw ApiValidationException.Field("concurrency_limit", "value is not a valid integer", "type_error.integer"),
    };

    public static WorkQueueUpdate QueueUpdate(WorkQueueUpdateRequest request)
    {
        var (clear, limit) = PatchedLimit(request.ConcurrencyLimit);
        return new WorkQueueUpdate
        {
            Name = request.Name is null ? null : Name(request.Name),
            Description = request.Description,
            IsPaused = request.IsPaused,
            ConcurrencyLimit = limit,
            ClearConcurrencyLimit = clear,
            Priority = Priority(request.Priority),
            Filter = request.Filter is { ValueKind: JsonValueKind.Null } ? null : request.Filter,
        };
    }
}
