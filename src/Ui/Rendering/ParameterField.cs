using System.Text.Json;

namespace OrleansFlow.Ui.Rendering;

/// <summary>One field of a deployment's run form.</summary>
/// <param name="Name">The parameter's name (the key of <c>parameters</c>).</param>
/// <param name="Title">The label: the schema's <c>title</c>, else the name.</param>
/// <param name="Description">The schema's <c>description</c>, if any.</param>
/// <param name="Kind">The input it gets.</param>
/// <param name="Required">Listed in the schema's <c>required</c>.</param>
/// <param name="Default">The prefilled value: the deployment's parameter, else the schema's <c>default</c>; null for none.</param>
/// <param name="Choices">The <c>enum</c> values of an <see cref="ParameterKind.Enum"/> field.</param>
public sealed record ParameterField(string Name, string Title, string? Description, ParameterKind Kind, bool Required, JsonElement? Default,
    IReadOnlyList<JsonElement> Choices)
{
    /// <summary>The prefilled text of a text, number or JSON input.</summary>
    public string DefaultText => Default switch
    {
        null => "",
        { ValueKind: JsonValueKind.String } s when Kind != ParameterKind.Json => s.GetString() ?? "",
        { ValueKind: JsonValueKind.Null } => "",
        { } v when Kind == ParameterKind.Json => Format.Json(v),
        { } v => v.GetRawText(),
    };

    /// <summary>Whether a checkbox starts checked.</summary>
    public bool DefaultChecked => Default is { ValueKind: JsonValueKind.True };

    /// <summary>Whether <paramref name="choice"/> is the prefilled choice of an enum.</summary>
    public bool IsDefault(JsonElement choice) => Default is { } d && Canonical(d) == Canonical(choice);

    /// <summary>A choice's label: strings without quotes.</summary>
    public static string ChoiceLabel(JsonElement choice) => choice.ValueKind == JsonValueKind.String ? choice.GetString() ?? "" : choice.GetRawText();

    /// <summary>A choice's option value: its JSON text, so that the script sends numbers as numbers.</summary>
    public static string Canonical(JsonElement value) => JsonSerializer.Serialize(value);
}
