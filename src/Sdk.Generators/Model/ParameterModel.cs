namespace OrleansFlow.Generators.Model;

/// <summary>A parameter of a flow or task method as the interceptor declares it.</summary>
/// <param name="Name">The name as written in C# (keywords escaped with <c>@</c>).</param>
/// <param name="RuntimeName">The name recorded as the run parameter's name.</param>
/// <param name="Type">The fully qualified type, with nullable annotations.</param>
/// <param name="TypeOf">An expression of type <c>System.Type</c> for it, used to find the method by reflection.</param>
/// <param name="DefaultValue">The default value's C# text, or null when the parameter has none.</param>
/// <param name="IsParams">True for a <c>params</c> parameter.</param>
internal sealed record ParameterModel(string Name, string RuntimeName, string Type, string TypeOf, string? DefaultValue, bool IsParams);
