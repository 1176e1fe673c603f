namespace OrleansFlow;

/// <summary>Creates <see cref="Unmapped{T}"/> markers: <c>Flows.Map(Add, numbers, Unmapped.Of(10))</c>.</summary>
public static class Unmapped
{
    /// <summary>Marks <paramref name="value"/> as passed whole to every mapped call.</summary>
    public static Unmapped<T> Of<T>(T value) => new(value);
}
