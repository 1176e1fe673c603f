using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Silo.Storage;

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
            Visit(data, path, 0, (obj, name) => obj[name] = Hide(obj[name]));
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

    /// <summary>A copy of <paramref name="data"/> in which the value at every secret path (the whole value, when it is an
    /// object or a list) is replaced by its JSON sealed with <paramref name="keys"/>' current key: what is written to the
    /// database. Values that are null or sealed already are kept.</summary>
    public static JsonObject Seal(JsonObject data, IReadOnlyList<string[]> paths, SecretKeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(keys);
        var copy = (JsonObject)data.DeepClone();
        foreach (var path in paths)
        {
            Visit(copy, path, 0, (obj, name) =>
            {
                if (obj[name] is { } value && !SecretKeyRing.IsSealed(StringOf(value)))
                {
                    obj[name] = JsonValue.Create(keys.Seal(value.ToJsonString()));
                }
            });
        }

        return copy;
    }

    /// <summary>A copy of <paramref name="data"/> with every sealed value opened (wherever it is, so a schema change does
    /// not strand a secret). A value no key of <paramref name="keys"/> opens stays sealed: it reads as its sealed text
    /// and is obfuscated like any secret, so a lost key never breaks a read.</summary>
    public static JsonObject Open(JsonObject data, SecretKeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(keys);
        return (JsonObject)OpenNode(data, keys)!;
    }

    /// <summary>True when <paramref name="stored"/> (as in the database) holds a secret in clear at one of
    /// <paramref name="paths"/>, or a value sealed with a key other than the current one that a key of the ring opens.</summary>
    public static bool NeedsSealing(JsonObject stored, IReadOnlyList<string[]> paths, SecretKeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(keys);
        var clear = false;
        foreach (var path in paths)
        {
            Visit(stored, path, 0, (obj, name) => clear |= obj[name] is { } value && !SecretKeyRing.IsSealed(StringOf(value)));
        }

        return clear || Strings(stored).Any(s => SecretKeyRing.KeyIdOf(s) is { } id && id != keys.CurrentKeyId && keys.TryOpen(s, out _));
    }

    private static JsonNode? OpenNode(JsonNode? node, SecretKeyRing keys) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, OpenNode(p.Value, keys)))),
        JsonArray items => new JsonArray([.. items.Select(i => OpenNode(i, keys))]),
        JsonValue value when StringOf(value) is { } text && SecretKeyRing.IsSealed(text) && keys.TryOpen(text, out var plain) => JsonNode.Parse(plain),
        _ => node?.DeepClone(),
    };

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => Strings(p.Value)),
        JsonArray items => items.SelectMany(Strings),
        JsonValue value when StringOf(value) is { } text => [text],
        _ => [],
    };

    private static string? StringOf(JsonNode value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>Calls <paramref name="leaf"/> with the object and property name of each value at <paramref name="path"/>.</summary>
    private static void Visit(JsonNode? node, string[] path, int depth, Action<JsonObject, string> leaf)
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
                leaf(obj, name);
            }
            else
            {
                Visit(obj[name], path, depth + 1, leaf);
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
