using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OrleansFlow.Results;

namespace OrleansFlow;

/// <summary>The ready cache key policy: a hash of the task's key (declaring type and method) and the JSON of its
/// arguments, so calls of one task with equal arguments share a cached result (Prefect's <c>task_input_hash</c>).
/// Use it as <c>[FlowTask(CacheKey = typeof(TaskInputHash))]</c>.</summary>
public sealed class TaskInputHash : ICacheKeyPolicy
{
    /// <inheritdoc/>
    public string? CacheKey(TaskDefinition task, IReadOnlyDictionary<string, object?> arguments)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(arguments);
        var text = new StringBuilder(Runtime.RunNames.TaskKey(task.Method));
        foreach (var (name, value) in arguments.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            text.Append('|').Append(name).Append('=')
                .Append(value is null ? "null" : JsonSerializer.Serialize(value, value.GetType(), ResultStore.ValueOptions));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }
}
