using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OrleansFlow.Silo.FlowRunNotifications;

/// <summary>A flow run notification's message template, as Prefect 2 reads it: Python's <c>str.format</c> with the
/// placeholders of <see cref="Placeholders"/> (<c>{flow_run_name}</c>), <c>{{</c> and <c>}}</c> for literal braces.
/// Values are written as Python's <c>str()</c> writes them: parameters as a Python dict (<c>{'x': 1, 'ok': True}</c>),
/// a missing state message as <c>None</c>, times as <c>isoformat()</c>.</summary>
/// <remarks>Python would also accept a format spec (<c>{flow_name:&gt;20}</c>), a conversion (<c>{flow_name!r}</c>) or an
/// attribute (<c>{flow_name.upper}</c>) after a valid name; these are refused here, with the reason.</remarks>
public static class FlowRunNotificationTemplate
{
    /// <summary>Prefect's placeholders (<c>FLOW_RUN_NOTIFICATION_TEMPLATE_KWARGS</c>).</summary>
    public static IReadOnlyList<string> Placeholders { get; } =
    [
        "flow_run_notification_policy_id", "flow_id", "flow_name", "flow_run_url", "flow_run_id", "flow_run_name",
        "flow_run_parameters", "flow_run_state_type", "flow_run_state_name", "flow_run_state_timestamp", "flow_run_state_message",
    ];

    /// <summary>The message of a policy without a template (Prefect's <c>DEFAULT_MESSAGE_TEMPLATE</c>).</summary>
    public const string Default = """

        Flow run {flow_name}/{flow_run_name} entered state `{flow_run_state_name}` at {flow_run_state_timestamp}.

        Flow ID: {flow_id}
        Flow run ID: {flow_run_id}
        Flow run URL: {flow_run_url}
        State message: {flow_run_state_message}

        """;

    /// <summary>The subject of every flow run notification (Prefect's).</summary>
    public const string Subject = "Prefect flow run notification";

    /// <summary>Why <paramref name="template"/> cannot be rendered (Prefect's words for an unknown placeholder:
    /// <c>Invalid template variable provided: 'name'</c>), or null when it can.</summary>
    public static string? Problem(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return Parse(template, null, null);
    }

    /// <summary>Renders <paramref name="template"/> (which <see cref="Problem"/> accepts) with <paramref name="values"/>,
    /// keyed by placeholder.</summary>
    /// <exception cref="FormatException">The template is not valid.</exception>
    public static string Render(string template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        var output = new StringBuilder(template.Length + 256);
        return Parse(template, values, output) is { } problem ? throw new FormatException(problem) : output.ToString();
    }

    /// <summary>A JSON value as Python's <c>str()</c> writes the value <c>json.loads</c> gives: <c>{'a': [1, None, True]}</c>.</summary>
    public static string PythonText(JsonElement? value)
    {
        if (value is not { } element || element.ValueKind == JsonValueKind.Undefined)
        {
            return "{}";
        }

        var text = new StringBuilder();
        WritePython(element, text);
        return text.ToString();
    }

    private static string? Parse(string template, IReadOnlyDictionary<string, string>? values, StringBuilder? output)
    {
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            if (c == '}')
            {
                if (i + 1 < template.Length && template[i + 1] == '}')
                {
                    output?.Append('}');
                    i += 2;
                    continue;
                }

                return "Single '}' encountered in format string";
            }

            if (c != '{')
            {
                output?.Append(c);
                i++;
                continue;
            }

            if (i + 1 < template.Length && template[i + 1] == '{')
            {
                output?.Append('{');
                i += 2;
                continue;
            }

            var close = template.IndexOf('}', i + 1);
            if (close < 0)
            {
                return "Single '{' encountered in format string";
            }

            var field = template[(i + 1)..close];
            if (field.Contains('{', StringComparison.Ordinal))
            {
                return "Nested '{' in a placeholder is not supported";
            }

            var end = field.IndexOfAny(['.', '[', '!', ':']);
            var name = end < 0 ? field : field[..end];
            if (name.Length == 0 || char.IsAsciiDigit(name[0]))
            {
                return $"Positional placeholders ('{{{Cut(field)}}}') are not supported: name one of {string.Join(", ", Placeholders)}";
            }

            if (!Placeholders.Contains(name, StringComparer.Ordinal))
            {
                return $"Invalid template variable provided: '{Cut(name)}'";
            }

            if (end >= 0)
            {
                return $"Only plain placeholders are supported: '{{{Cut(field)}}}' has a format spec, conversion or attribute after '{name}'";
            }

            if (output is not null)
            {
                output.Append(values!.TryGetValue(name, out var value) ? value : "None");
            }

            i = close + 1;
        }

        return null;
    }

    private static string Cut(string text) => text.Length > 100 ? text[..100] + "…" : text;

    private static void WritePython(JsonElement element, StringBuilder text)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var first = true;
                foreach (var property in element.EnumerateObject())
                {
                    if (!first)
                    {
                        text.Append(", ");
                    }

                    first = false;
                    WritePythonString(property.Name, text);
                    text.Append(": ");
                    WritePython(property.Value, text);
                }

                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (index++ > 0)
                    {
                        text.Append(", ");
                    }

                    WritePython(item, text);
                }

                text.Append(']');
                break;
            case JsonValueKind.String:
                WritePythonString(element.GetString()!, text);
                break;
            case JsonValueKind.True:
                text.Append("True");
                break;
            case JsonValueKind.False:
                text.Append("False");
                break;
            case JsonValueKind.Number:
                text.Append(element.GetRawText());
                break;
            default:
                text.Append("None");
                break;
        }
    }

    /// <summary>Python's <c>repr()</c> of a string: single quotes unless it holds one and no double quote.</summary>
    private static void WritePythonString(string value, StringBuilder text)
    {
        var quote = value.Contains('\'', StringComparison.Ordinal) && !value.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        text.Append(quote);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    text.Append(@"\\");
                    break;
                case '\n':
                    text.Append(@"\n");
                    break;
                case '\r':
                    text.Append(@"\r");
                    break;
                case '\t':
                    text.Append(@"\t");
                    break;
                default:
                    if (c == quote)
                    {
                        text.Append('\\').Append(c);
                    }
                    else if (c < ' ' || c == '\x7f')
                    {
                        text.Append(@"\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append(quote);
    }
}
