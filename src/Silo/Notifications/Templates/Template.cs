using System.Text.Json.Nodes;

namespace OrleansFlow.Silo.Notifications.Templates;

/// <summary>A user-supplied template in the Jinja language Prefect's automations use (<c>{{ flow_run.name }}</c>,
/// <c>{% if %}</c>, <c>{% for %}</c>, filters), rendered against a JSON context so it depends on no C# type. Pure: no
/// I/O, no code execution, bounded by <see cref="TemplateLimits"/>. docs/notifications.md lists what is supported.
/// Unknown variables and attributes render as nothing (Jinja's chainable undefined).</summary>
public sealed class Template
{
    private readonly IReadOnlyList<TemplateNode> _nodes;
    private readonly TemplateLimits _limits;

    private Template(IReadOnlyList<TemplateNode> nodes, TemplateLimits limits)
    {
        _nodes = nodes;
        _limits = limits;
    }

    /// <summary>Parses <paramref name="source"/> once, to render it many times.</summary>
    /// <param name="source">The template text.</param>
    /// <param name="limits">The bounds; <see cref="TemplateLimits.Default"/> when null.</param>
    /// <exception cref="TemplateSyntaxException">The template does not parse, is longer than
    /// <see cref="TemplateLimits.MaxTemplateLength"/>, or holds too many or too deeply nested loops.</exception>
    public static Template Parse(string source, TemplateLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        limits ??= TemplateLimits.Default;
        if (source.Length > limits.MaxTemplateLength)
        {
            throw new TemplateSyntaxException($"The template is longer than {limits.MaxTemplateLength} characters", 1, 1);
        }

        return new Template(new TemplateParser(new TemplateLexer(source), limits).Parse(), limits);
    }

    /// <summary>Renders the template with <paramref name="context"/> (a JSON object whose properties are the
    /// template's variables; null or any other node gives no variables).</summary>
    /// <exception cref="TemplateRenderException">An operation failed (e.g. arithmetic on an undefined value) or a
    /// limit was reached (output length, loop iterations, range size).</exception>
    public string Render(JsonNode? context) => new TemplateEvaluator(context, _limits).Render(_nodes);

    /// <summary>Parses and renders <paramref name="source"/>; text without <c>{{</c>, <c>{%</c> or <c>{#</c> is returned
    /// as it is (as Prefect does).</summary>
    /// <exception cref="TemplateSyntaxException">The template does not parse.</exception>
    /// <exception cref="TemplateRenderException">The template could not be rendered.</exception>
    public static string Render(string source, JsonNode? context, TemplateLimits? limits = null) =>
        IsTemplate(source) ? Parse(source, limits).Render(context) : source;

    /// <summary>Checks that <paramref name="source"/> parses within <paramref name="limits"/>, as the API does before it
    /// stores a template; null when it does, else the error (with its 1-based line and column).</summary>
    public static TemplateSyntaxException? Validate(string? source, TemplateLimits? limits = null)
    {
        if (source is null)
        {
            return null;
        }

        try
        {
            _ = Parse(source, limits);
            return null;
        }
        catch (TemplateSyntaxException e)
        {
            return e;
        }
    }

    /// <summary>True when <paramref name="text"/> holds template syntax (<c>{{</c>, <c>{%</c> or <c>{#</c>).</summary>
    public static bool IsTemplate(string? text) =>
        text is not null && (text.Contains("{{", StringComparison.Ordinal) || text.Contains("{%", StringComparison.Ordinal) || text.Contains("{#", StringComparison.Ordinal));
}
