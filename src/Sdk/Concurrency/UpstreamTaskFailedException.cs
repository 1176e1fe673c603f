namespace OrleansFlow;

/// <summary>A submitted task did not run because a task in its <c>waitFor</c> list failed.</summary>
public sealed class UpstreamTaskFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UpstreamTaskFailedException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public UpstreamTaskFailedException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception without details.</summary>
    public UpstreamTaskFailedException()
    {
    }
}
