namespace OrleansFlow.Grains.Automations;

/// <summary>An automation body that does not validate: <see cref="Path"/> names the field (dotted, list indexes as
/// numbers, e.g. <c>trigger.within</c> or <c>actions.0.deployment_id</c>), the message says why.</summary>
public sealed class AutomationValidationException : Exception
{
    /// <summary>A failure of the field at <paramref name="path"/>.</summary>
    public AutomationValidationException(string path, string message)
        : base(message) => Path = path;

    /// <summary>An empty failure (for serializers).</summary>
    public AutomationValidationException()
        : this("", "The automation is not valid.")
    {
    }

    /// <summary>A failure of the whole body.</summary>
    public AutomationValidationException(string message)
        : this("", message)
    {
    }

    /// <summary>A failure of the whole body, with its cause.</summary>
    public AutomationValidationException(string message, Exception innerException)
        : base(message, innerException) => Path = "";

    /// <summary>The dotted path of the offending field ("" for the whole body).</summary>
    public string Path { get; }
}
