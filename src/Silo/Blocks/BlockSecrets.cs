using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansFlow.Silo.Blocks;

/// <summary>Secret fields of block documents: the paths a schema lists in <c>secret_fields</c> (dotted, <c>*</c> for
/// any key at one level) are shown as <see cref="Obfuscated"/> unless secrets are asked for, and an update that sends
/// the obfuscated value back keeps the stored secret.</summary>
public static class BlockSecrets
{
    /// <summary>What a secret value reads as when secrets are not included (Prefect's <c>obfuscate</c>).</summary>
    public const string Obfuscated = "********";

    /// <summary>The secret field paths of a schema's fields, split on dots.</summary>
    public static IReadOnlyList<string[]> Paths(JsonElement fields) =>
        fields.ValueKind == JsonValueKind.Object && fields.TryGetProperty("secret_fields", out var secret) && secret.ValueKind == JsonValueKind.Array
            ? [.. secret.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()!.Split('.'))]
            : [];

    /// <summary>Replaces every secret value in <paramref name="data"/> (in place). A secret field that holds an object
    /// has all its leaves obfuscated, so that no part of a secret leaks.</summary>
    public static void Obfuscate(JsonObject data, IReadOnlyList<string[]> paths)
    {
        foreach (var path in paths)
        {
            Obfuscate(data, path, 0);
        }
    }

    /// <summary>Where <paramref name="update"/> holds the obfuscated value at a secret path that has a stored value in
    /// <paramref name="current"/>, puts the stored value back (in place), as Prefect does, so that a client that
    /// posts back what it read does not overwrite the secret with asterisks.</summary>
    public static void KeepUnchanged(JsonObject update, JsonObject current, IReadOnlyList<string[]> paths)
    {
        foreach (var path in paths)
        {
            Restore(update, current, path, 0);
        }
    }

    private static void Obfuscate(JsonNode? node, string[] path, int depth)
    {
        if (node is not JsonObject obj)
        {
            return;
        }

        var key = path[depth];
        var names = key == "*" ? obj.Select(p => p.Key).ToList() : obj.ContainsKey(key) ? [key] : [];
        foreach (var name in names)
        {
            if (depth == path.Length - 1)
            {
                obj[name] = Hide(obj[name]);
            }
            else
            {
                Obfuscate(obj[name], path, depth + 1);
            }
        }
    }

    private static JsonNode? Hide(JsonNode? value) => value switch
    {
        null => null,
        JsonObject inner => new JsonObject(inner.Select(p => KeyValuePair.Create(p.Key, Hide(p.Value?.DeepClone())))),
        JsonArray items => new JsonArray([.. items.Select(i => Hide(i?.DeepClone()))]),
        _ => JsonValue.Create(Obfuscated),
    };

    private static void Restore(JsonNode? update, JsonNode? current, string[] path, int depth)
    {
        if (update is not JsonObject updateObj || current is not JsonObject currentObj)
        {
            return;
        }

        var key = path[depth];
        var names = key == "*" ? updateObj.Select(p => p.Key).ToList() : updateObj.ContainsKey(key) ? [key] : [];
        foreach (var name in names)
        {
            if (!currentObj.TryGetPropertyValue(name, out var stored) || stored is null)
            {
                continue;
            }

            if (depth == path.Length - 1)
            {
                var sent = updateObj[name];
                var kept = RestoreLeaves(sent, stored);
                if (!ReferenceEquals(kept, sent))
                {
                    updateObj[name] = kept;
                }
            }
            else
            {
                Restore(updateObj[name], stored, path, depth + 1);
            }
        }
    }

    private static JsonNode? RestoreLeaves(JsonNode? sent, JsonNode stored)
    {
        if (sent is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == Obfuscated)
        {
            return stored.DeepClone();
        }

        if (sent is JsonObject sentObj && stored is JsonObject storedObj)
        {
            foreach (var name in sentObj.Select(p => p.Key).ToList())
            {
                var child = sentObj[name];
                if (storedObj.TryGetPropertyValue(name, out var inner) && inner is not null
                    && RestoreLeaves(child, inner) is var kept && !ReferenceEquals(kept, child))
                {
                    sentObj[name] = kept;
                }
            }
        }

        return sent;
    }
}
