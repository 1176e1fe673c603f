using System.Text.Json;

namespace OrleansFlow.Silo.SavedSearches;

/// <summary>One filter of a saved search, as the UI describes it.</summary>
/// <param name="Object">The object filtered, e.g. <c>flow_run</c>.</param>
/// <param name="Property">The property filtered, e.g. <c>state</c>.</param>
/// <param name="Type">The property's type.</param>
/// <param name="Operation">The operator, e.g. <c>equals</c>.</param>
/// <param name="Value">The value, any JSON.</param>
public sealed record SavedSearchFilter(string Object, string Property, string Type, string Operation, JsonElement Value);
