namespace OrleansFlow.Sdk.Tests.Scenarios;

public sealed class ParameterSchemaTests
{
    public sealed record Window(int Days, string? Zone);

    [Flow]
    internal static int Report(string day, Window window, int count = 3, bool dryRun = false) => count;

    [Fact]
    public void For_FlowSignature_TypesPositionsDefaultsAndRequired()
    {
        var method = typeof(ParameterSchemaTests).GetMethod(nameof(Report), System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!;

        var schema = ParameterSchema.For(method);

        Assert.Equal("Parameters", schema["title"]!.GetValue<string>());
        var properties = schema["properties"]!.AsObject();
        Assert.Equal(["day", "window", "count", "dryRun"], properties.Select(p => p.Key));
        Assert.Equal("string", properties["day"]!["type"]!.GetValue<string>());
        Assert.Equal("integer", properties["count"]!["type"]!.GetValue<string>());
        Assert.Equal(2, properties["count"]!["position"]!.GetValue<int>());
        Assert.Equal(3, properties["count"]!["default"]!.GetValue<int>());
        Assert.False(properties["dryRun"]!["default"]!.GetValue<bool>());
        Assert.NotNull(properties["window"]!["properties"]!["days"]);
        Assert.Equal(["day", "window"], schema["required"]!.AsArray().Select(n => n!.GetValue<string>()));
    }
}
