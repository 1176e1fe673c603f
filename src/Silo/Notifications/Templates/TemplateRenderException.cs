namespace OrleansFlow.Silo.Notifications.Templates;

/// <summary>A template that parsed but could not be rendered with its context: arithmetic on an undefined value, an
/// output longer than <see cref="TemplateLimits.MaxOutputLength"/>, more loop iterations than
/// <see cref="TemplateLimits.MaxIterations"/>, a <c>range</c> larger than <see cref="TemplateLimits.MaxRange"/>.</summary>
public sealed class TemplateRenderException : Exception
{
    /// <summary>Creates the error; <paramref name="line"/> and <paramref name="column"/> are 1-based (0 when unknown).</summary>
    public TemplateRenderException(string reason, int line, int column)
        : base(line > 0 ? $"{reason} (line {line}, column {column})" : reason)
    {
        Reason = reason;
        Line = line;
        Column = column;
    }

    /// <summary>What went wrong, without the position.</summary>
    public string Reason { get; }

    /// <summary>The 1-based line of the expression or statement that failed (0 when unknown).</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the expression or statement that failed (0 when unknown).</summary>
    public int Column { get; }
}
