using System.Net;

namespace OrleansFlow.Client;

/// <summary>The OrleansFlow server answered a call with an error status, or an answer that is not what the API promises.</summary>
public sealed class OrleansFlowApiException : Exception
{
    /// <summary>Creates the exception for a failed call.</summary>
    /// <param name="message">What failed, with the method, URL and status.</param>
    /// <param name="statusCode">The HTTP status of the answer.</param>
    /// <param name="body">The answer's body (Prefect's <c>{"detail": ...}</c> or a 422's field errors).</param>
    public OrleansFlowApiException(string message, HttpStatusCode statusCode, string? body = null) : base(message)
    {
        StatusCode = statusCode;
        Body = body;
    }

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

    /// <summary>The HTTP status of the answer; 0 when the answer was not an error status but could not be read.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The body of the error answer, when there was one.</summary>
    public string? Body { get; }
}
