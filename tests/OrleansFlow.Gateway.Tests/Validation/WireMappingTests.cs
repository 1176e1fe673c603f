using System.Reflection;
using OrleansFlow.Gateway.Api;

namespace OrleansFlow.Gateway.Tests.Validation;

/// <summary>The Gateway binds requests to the client's records and maps them onto the grains' own: a property added to
/// one side and not mapped would be dropped silently (as <c>transition_id</c> nearly was).</summary>
public sealed class WireMappingTests
{
    [Fact]
    public void StateDetails_EveryPropertyOfTheClientsRecord_ReachesTheGrains()
    {
        var wireType = typeof(OrleansFlow.Client.StateDetails);
        var grainsType = typeof(OrleansFlow.Grains.States.StateDetails);
        var wireProperties = wireType.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        var source = new OrleansFlow.Client.StateDetails();
        foreach (var property in wireProperties)
        {
            property.SetValue(source, Sample(property.PropertyType));
        }

        var mapped = source.ToGrains();

        Assert.Equal(wireProperties.Select(p => p.Name).Order(),
            grainsType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).Order());
        Assert.All(wireProperties, property => Assert.Equal(property.GetValue(source), grainsType.GetProperty(property.Name)!.GetValue(mapped)));
    }

    private static object Sample(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(Guid) => Guid.NewGuid(),
        var t when t == typeof(DateTimeOffset) => new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero),
        var t when t == typeof(string) => "sample",
        var t when t == typeof(bool) => true,
        var t when t == typeof(IReadOnlyDictionary<string, string>) => new Dictionary<string, string> { ["schema"] = "s", ["response"] = "r" },
        var t => throw new InvalidOperationException($"No sample value for {t}: extend the test."),
    };
}
