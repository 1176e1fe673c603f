using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansFlow.Grains.Events;

/// <summary>Prefect 3's resource specification, used by event filters and automation triggers (<c>match</c>,
/// <c>match_related</c>): label → one expected value or a list of them. A resource matches when, for every label, its value
/// matches one of the expected values; a resource without the label does not match. An expected value may end in <c>*</c>
/// (a prefix: <c>prefect.flow-run.*</c>; <c>*</c> alone matches any value) or start with <c>!</c> (any value but this one,
/// or but this prefix).</summary>
[JsonConverter(typeof(ResourceSpecificationJsonConverter))]
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("OrleansFlow.ResourceSpecification")]
public sealed record ResourceSpecification
{
    /// <summary>The specification that matches every resource.</summary>
    public static ResourceSpecification Any { get; } = new() { Labels = ImmutableSortedDictionary<string, ImmutableArray<string>>.Empty };

    /// <summary>Expected values per label.</summary>
    public required ImmutableSortedDictionary<string, ImmutableArray<string>> Labels { get; init; }

    /// <summary>True when there is no label to match.</summary>
    public bool IsEmpty => Labels.IsEmpty;

    /// <summary>True when <paramref name="resource"/> matches every label.</summary>
    public bool Matches(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        foreach (var (label, expected) in Labels)
        {
            if (resource[label] is not { } value || !expected.Any(e => Matches(e, value)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="value"/> matches <paramref name="expected"/>: a value, a prefix ending in
    /// <c>*</c>, or either of them after <c>!</c> (a negation).</summary>
    public static bool Matches(string expected, string value)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(value);
        var negated = expected.StartsWith('!');
        var pattern = negated ? expected[1..] : expected;
        var match = pattern.EndsWith('*') ? value.StartsWith(pattern[..^1], StringComparison.Ordinal) : pattern == value;
        return match != negated;
    }

    /// <summary>A specification from label/value pairs.</summary>
    public static ResourceSpecification Of(params (string Label, string Value)[] labels) => new()
    {
        Labels = labels.GroupBy(l => l.Label).ToImmutableSortedDictionary(g => g.Key, g => g.Select(l => l.Value).ToImmutableArray(), StringComparer.Ordinal),
    };

    /// <inheritdoc />
    public bool Equals(ResourceSpecification? other) => other is not null && Labels.Count == other.Labels.Count &&
        Labels.All(pair => other.Labels.TryGetValue(pair.Key, out var values) && values.SequenceEqual(pair.Value));

    /// <inheritdoc />
    public override int GetHashCode() => Labels.Count;
}

/// <summary>Reads a <see cref="ResourceSpecification"/> from a JSON object whose values are strings or arrays of strings,
/// and writes it the same way (one value as a string).</summary>
public sealed class ResourceSpecificationJsonConverter : JsonConverter<ResourceSpecification>
{
    /// <inheritdoc />
    public override ResourceSpecification Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A resource specification is a JSON object of labels to a string or a list of strings.");
        }

        var builder = ImmutableSortedDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var label = reader.GetString()!;
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                builder[label] = [reader.GetString()!];
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException($"The value of '{label}' must be a string or a list of strings.");
            }

            var values = ImmutableArray.CreateBuilder<string>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                values.Add(reader.TokenType == JsonTokenType.String
                    ? reader.GetString()!
                    : throw new JsonException($"The values of '{label}' must be strings."));
            }

            builder[label] = values.ToImmutable();
        }

        return new ResourceSpecification { Labels = builder.ToImmutable() };
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, ResourceSpecification value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (label, values) in value.Labels)
        {
            if (values.Length == 1)
            {
                writer.WriteString(label, values[0]);
                continue;
            }

            writer.WriteStartArray(label);
            foreach (var text in values)
            {
                writer.WriteStringValue(text);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
