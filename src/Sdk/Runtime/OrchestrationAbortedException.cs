namespace OrleansFlow;

/// <summary>The server refused to let a run go on (an ABORT answer, e.g. its flow run was cancelled, or a REJECT into a
/// final state the SDK cannot continue from). The run's body did not run or did not finish.</summary>
public sealed class OrchestrationAbortedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OrchestrationAbortedException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with an inner exception.</summary>
    public OrchestrationAbortedException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without details.</summary>
    public OrchestrationAbortedException()
    {
    }
}
