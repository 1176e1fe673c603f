namespace OrleansFlow.Silo.Deployments;

/// <summary>A run's parameters do not fit its deployment's parameter schema; nothing was created.</summary>
/// <param name="parameter">The offending parameter.</param>
/// <param name="reason">Why it does not fit.</param>
public sealed class DeploymentParameterException(string parameter, string reason) : Exception($"parameters.{parameter}: {reason}")
{
    /// <summary>The offending parameter's name.</summary>
    public string Parameter { get; } = parameter;

    /// <summary>Why it does not fit.</summary>
    public string Reason { get; } = reason;
}
