using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Blocks;

/// <summary>References between block documents: a top-level field whose value is
/// <c>{"$ref": {"block_document_id": "..."}}</c> points at another document instead of holding data.</summary>
internal static class BlockReferences
{
    /// <summary>Splits <paramref name="data"/> into the plain fields and the references.</summary>
    /// <exception cref="Queries.FilterException">A <c>$ref</c> has no valid <c>block_document_id</c>.</exception>
    public static (JsonObject Data, List<(string Name, Guid ReferenceId)> References) Separate(JsonObject data)
    {
        var plain = new JsonObject();
        var references = new List<(string, Guid)>();
        foreach (var (key, value) in data)
        {
            if (value is JsonObject obj && obj.TryGetPropertyValue("$ref", out var reference))
            {
                var id = reference is JsonObject target && target.TryGetPropertyValue("block_document_id", out var raw)
                    && raw is JsonValue text && text.GetValueKind() == JsonValueKind.String && Guid.TryParse(text.GetValue<string>(), out var parsed)
                    ? parsed
                    : throw new Queries.FilterException(["data", key], "a block reference needs a block_document_id");
                references.Add((key, id));
            }
            else
            {
                plain[key] = value?.DeepClone();
            }
        }

        return (plain, references);
    }

    /// <summary>Checks that every referenced document exists.</summary>
    /// <exception cref="KeyNotFoundException">One does not.</exception>
    public static async Task CheckExistAsync(DbSession session, List<(string Name, Guid ReferenceId)> references, CancellationToken cancellationToken)
    {
        if (references.Count == 0)
        {
            return;
        }

        var found = await BlockDocumentStore.ByIdsAsync(session, [.. references.Select(r => r.ReferenceId).Distinct()], cancellationToken).ConfigureAwait(false);
        foreach (var (name, id) in references)
        {
            if (!found.Any(d => d.Id == id))
            {
                throw new KeyNotFoundException($"Block document {id} referenced by '{name}' not found");
            }
        }
    }
}
