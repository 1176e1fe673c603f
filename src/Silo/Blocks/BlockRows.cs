using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Blocks;

/// <summary>Maps the columns of the block statements (<c>block_types.*</c>, <c>block_schemas.select</c>,
/// <c>block_documents.select</c>) to records.</summary>
internal static class BlockRows
{
    /// <summary>Reads the ten block type columns starting at <paramref name="at"/>.</summary>
    public static BlockType Type(DbDataReader reader, int at = 0) => new()
    {
        Id = Rows.Guid(reader, at),
        Name = reader.GetString(at + 1),
        Slug = reader.GetString(at + 2),
        LogoUrl = Rows.String(reader, at + 3),
        DocumentationUrl = Rows.String(reader, at + 4),
        Description = Rows.String(reader, at + 5),
        CodeExample = Rows.String(reader, at + 6),
        IsProtected = reader.GetBoolean(at + 7),
        Created = Rows.Time(reader, at + 8),
        Updated = Rows.Time(reader, at + 9),
    };

    /// <summary>Reads the seven block schema columns starting at <paramref name="at"/>, followed by its type's.</summary>
    public static BlockSchema Schema(DbDataReader reader, int at = 0)
    {
        var type = Type(reader, at + 7);
        return new BlockSchema
        {
            Id = Rows.Guid(reader, at),
            Checksum = reader.GetString(at + 1),
            Fields = JsonElement(reader.GetString(at + 2)),
            Capabilities = Rows.Tags(reader, at + 3),
            Version = reader.GetString(at + 4),
            Created = Rows.Time(reader, at + 5),
            Updated = Rows.Time(reader, at + 6),
            BlockTypeId = type.Id,
            BlockType = type,
        };
    }

    /// <summary>Reads a row of <c>block_documents.select</c>: the document with its schema and type; data as stored
    /// (secrets in clear, references not yet resolved).</summary>
    public static BlockDocument Document(DbDataReader reader)
    {
        var schema = Schema(reader, 8);
        return new BlockDocument
        {
            Id = Rows.Guid(reader, 0),
            Name = reader.GetString(1),
            Data = JsonNode.Parse(reader.GetString(2)) as JsonObject ?? [],
            IsAnonymous = reader.GetBoolean(3),
            Created = Rows.Time(reader, 4),
            Updated = Rows.Time(reader, 5),
            BlockSchemaId = Rows.Guid(reader, 6),
            BlockTypeId = Rows.Guid(reader, 7),
            BlockSchema = schema,
            BlockType = schema.BlockType,
        };
    }

    public static JsonElement JsonElement(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
