namespace OrleansFlow;

/// <summary>A flow run or task run exceeded its <c>TimeoutSeconds</c>; the run is recorded as FAILED/TimedOut.</summary>
public sealed class RunTimedOutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public RunTimedOutException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with an inner exception.</summary>
    public RunTimedOutException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without details.</summary>
    public RunTimedOutException()
    {
    }
}
