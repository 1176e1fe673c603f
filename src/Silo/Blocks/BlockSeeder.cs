using System.Runtime.CompilerServices;
using System.Text.Json;
using OrleansFlow.Silo.Notifications;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Blocks;

/// <summary>Installs Prefect's system block types and schemas (<see cref="SystemBlocks"/>) and the notification blocks
/// (<see cref="NotificationBlocks"/>). Idempotent and safe when
/// several servers start at once: every row is inserted with <c>ON CONFLICT DO NOTHING</c>, so existing types and
/// schemas (and changes made to unprotected ones) are kept.</summary>
public static class BlockSeeder
{
    private static readonly ConditionalWeakTable<Database, Task> Seeded = [];
    private static readonly Lock Gate = new();
    private static readonly Lazy<IReadOnlyList<(BlockType Type, IReadOnlyList<BlockSchema> Schemas)>> Seed = new(Parse);

    /// <summary>Inserts the system block types and schemas that are missing, in one transaction.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task SeedAsync(OrleansFlowSilo silo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var now = silo.Clock.GetUtcNow();
        return silo.Database.WriteAsync(async session =>
        {
            foreach (var (type, schemas) in Seed.Value)
            {
                await BlockTypeStore.InsertAsync(session, type with { Created = now, Updated = now }, cancellationToken).ConfigureAwait(false);
                foreach (var schema in schemas)
                {
                    await BlockSchemaStore.SeedAsync(session, type.Slug, schema with { Created = now, Updated = now }, cancellationToken).ConfigureAwait(false);
                }
            }

            return true;
        }, cancellationToken);
    }

    /// <summary>Seeds the silo's database once per process (the first block request waits for it); a failed attempt is
    /// retried by the next request.</summary>
    internal static Task EnsureAsync(OrleansFlowSilo silo, CancellationToken cancellationToken)
    {
        Task task;
        lock (Gate)
        {
            if (!Seeded.TryGetValue(silo.Database, out task!) || task.IsFaulted || task.IsCanceled)
            {
                task = SeedAsync(silo, CancellationToken.None);
                Seeded.AddOrUpdate(silo.Database, task);
            }
        }

        return task.IsCompletedSuccessfully ? task : task.WaitAsync(cancellationToken);
    }

    /// <summary>Prefect's system blocks, then the notification blocks (<see cref="NotificationBlocks"/>), whose checksums
    /// are computed here.</summary>
    private static IReadOnlyList<(BlockType, IReadOnlyList<BlockSchema>)> Parse()
    {
        var result = new List<(BlockType, IReadOnlyList<BlockSchema>)>();
        Parse(SystemBlocks.Json, result);
        Parse(NotificationBlocks.Json, result);
        return result;
    }

    private static void Parse(string json, List<(BlockType, IReadOnlyList<BlockSchema>)> result)
    {
        using var document = JsonDocument.Parse(json);
        foreach (var type in document.RootElement.GetProperty("block_types").EnumerateArray())
        {
            var blockType = new BlockType
            {
                Id = type.GetProperty("id").GetGuid(),
                Name = type.GetProperty("name").GetString()!,
                Slug = type.GetProperty("slug").GetString()!,
                LogoUrl = type.GetProperty("logo_url").GetString(),
                DocumentationUrl = type.GetProperty("documentation_url").GetString(),
                Description = type.GetProperty("description").GetString(),
                CodeExample = type.GetProperty("code_example").GetString(),
                IsProtected = type.GetProperty("is_protected").GetBoolean(),
            };
            var schemas = type.GetProperty("block_schemas").EnumerateArray().Select(schema => new BlockSchema
            {
                Id = schema.GetProperty("id").GetGuid(),
                Checksum = schema.TryGetProperty("checksum", out var checksum) ? checksum.GetString()! : BlockChecksum.Compute(schema.GetProperty("fields")),
                Fields = schema.GetProperty("fields").Clone(),
                BlockTypeId = blockType.Id,
                Capabilities = [.. schema.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()!)],
                Version = schema.GetProperty("version").GetString()!,
            }).ToList();
            result.Add((blockType, schemas));
        }
    }
}
