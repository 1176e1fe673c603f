namespace OrleansFlow.Silo.Notifications.Templates;

/// <summary>A template that does not parse (an unclosed tag, an unknown statement or filter, a bad expression) or that
/// breaks a structural limit of <see cref="TemplateLimits"/> (too many or too deeply nested loops).</summary>
public sealed class TemplateSyntaxException : Exception
{
    /// <summary>Creates the error; <paramref name="line"/> and <paramref name="column"/> are 1-based.</summary>
    public TemplateSyntaxException(string reason, int line, int column)
        : base($"{reason} (line {line}, column {column})")
    {
        Reason = reason;
        Line = line;
        Column = column;
    }

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }

    /// <summary>The 1-based line of the template where the error is.</summary>
    public int Line { get; }

    /// <summary>The 1-based column (in characters) of the template where the error is.</summary>
    public int Column { get; }
}
