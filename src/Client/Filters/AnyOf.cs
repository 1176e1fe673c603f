using System.Text.Json.Serialization;

namespace OrleansFlow.Client;

/// <summary>A filter condition <c>{"any_": [...]}</c>: the value is one of <paramref name="Any"/>.</summary>
/// <param name="Any">The values allowed.</param>
public sealed record AnyOf<T>([property: JsonPropertyName("any_")] IReadOnlyList<T> Any);
