namespace OrleansFlow;

/// <summary>An argument of a multi-argument <c>Flows.Map</c>: a list iterated in step with the other lists, or an
/// <see cref="Unmapped{T}"/> value given to every call. Converts implicitly from arrays, lists and <see cref="Unmapped{T}"/>.</summary>
public readonly struct MapArgument<T>
{
    private readonly IReadOnlyList<T>? _items;
    private readonly T _value;

    private MapArgument(IReadOnlyList<T>? items, T value)
    {
        _items = items;
        _value = value;
    }

    /// <summary>How many calls this argument asks for, or null for an unmapped value.</summary>
    public int? Count => _items?.Count;

    /// <summary>The value for call <paramref name="index"/>.</summary>
    public T this[int index] => _items is null ? _value : _items[index];

    /// <summary>Maps over an array.</summary>
    public static implicit operator MapArgument<T>(T[] items) => new(items, default!);

    /// <summary>Maps over a list.</summary>
    public static implicit operator MapArgument<T>(List<T> items) => new(items, default!);

    /// <summary>Gives the value to every call.</summary>
    public static implicit operator MapArgument<T>(Unmapped<T> value) => new(null, value.Value);

    /// <summary>Maps over <paramref name="items"/>.</summary>
    public static MapArgument<T> Over(IEnumerable<T> items) => new([.. items], default!);

    /// <summary>Gives <paramref name="value"/> to every call.</summary>
    public static MapArgument<T> Same(T value) => new(null, value);
}
