using System.Net;

namespace OrleansFlow.Client;

/// <summary>The OrleansFlow server answered a call of the SDK with an error status.</summary>
public sealed class OrleansFlowApiException : Exception
{
    /// <summary>Creates the exception for a failed call.</summary>
    public OrleansFlowApiException(string message, HttpStatusCode statusCode) : base(message) => StatusCode = statusCode;

    /// <summary>Creates the exception with a message only (status 0).</summary>
    public OrleansFlowApiException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception (status 0).</summary>
    public OrleansFlowApiException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without details.</summary>
    public OrleansFlowApiException()
    {
    }

    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode StatusCode { get; }
}
