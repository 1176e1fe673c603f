using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansFlow.Grains.Events;

/// <summary>What an event is about, as Prefect 3 describes it: a flat set of string labels, among them
/// <c>prefect.resource.id</c> (e.g. <c>prefect.flow-run.0b9c…</c>) and often <c>prefect.resource.name</c>. On the wire it
/// is a JSON object of strings.</summary>
[JsonConverter(typeof(ResourceJsonConverter))]
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("OrleansFlow.Resource")]
public sealed record Resource
{
    /// <summary>The label that names a resource.</summary>
    public const string IdLabel = "prefect.resource.id";

    /// <summary>The label that names a related resource's role (e.g. <c>flow</c>, <c>deployment</c>, <c>tag</c>).</summary>
    public const string RoleLabel = "prefect.resource.role";

    /// <summary>The label that holds a resource's human name.</summary>
    public const string NameLabel = "prefect.resource.name";

    /// <summary>The labels, <see cref="IdLabel"/> among them.</summary>
    public required ImmutableSortedDictionary<string, string> Labels { get; init; }

    /// <summary>The resource's id (<c>prefect.resource.id</c>).</summary>
    public string Id => Labels.GetValueOrDefault(IdLabel, "");

    /// <summary>The role of a related resource (<c>prefect.resource.role</c>), or null.</summary>
    public string? Role => Labels.GetValueOrDefault(RoleLabel);

    /// <summary>The resource's human name (<c>prefect.resource.name</c>), or null.</summary>
    public string? Name => Labels.GetValueOrDefault(NameLabel);

    /// <summary>A label's value, or null.</summary>
    public string? this[string label] => Labels.GetValueOrDefault(label);

    /// <summary>A resource with the given id and extra labels.</summary>
    public static Resource Of(string id, params (string Label, string? Value)[] labels)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        builder[IdLabel] = id;
        foreach (var (label, value) in labels)
        {
            if (value is not null)
            {
                builder[label] = value;
            }
        }

        return new Resource { Labels = builder.ToImmutable() };
    }

    /// <summary>A related resource: a resource with a role.</summary>
    public static Resource Related(string id, string role, string? name = null) =>
        Of(id, (RoleLabel, role), (NameLabel, name));

    /// <inheritdoc />
    public bool Equals(Resource? other) => other is not null && Labels.Count == other.Labels.Count &&
        Labels.All(pair => other.Labels.TryGetValue(pair.Key, out var value) && value == pair.Value);

    /// <inheritdoc />
    public override int GetHashCode() => Id.GetHashCode(StringComparison.Ordinal);
}

/// <summary>Reads and writes a <see cref="Resource"/> as a flat JSON object of string labels.</summary>
public sealed class ResourceJsonConverter : JsonConverter<Resource>
{
    /// <inheritdoc />
    public override Resource Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A resource is a JSON object of string labels.");
        }

        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var label = reader.GetString()!;
            reader.Read();
            builder[label] = reader.TokenType == JsonTokenType.String
                ? reader.GetString()!
                : throw new JsonException($"The resource label '{label}' must be a string.");
        }

        return new Resource { Labels = builder.ToImmutable() };
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Resource value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (label, text) in value.Labels)
        {
            writer.WriteString(label, text);
        }

        writer.WriteEndObject();
    }
}
