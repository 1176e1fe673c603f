using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Gateway.Api;

/// <summary>Maps exceptions to Prefect-shaped responses: validation 422, missing 404, conflicts 409, a full write queue
/// 429 and a grain call that did not reach its grain 503 (both with <c>Retry-After</c>); anything else is logged and
/// answered 500 without internals.</summary>
internal static partial class ErrorHandling
{
    public static void UseApiErrors(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            var api = context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal);
            if (api)
            {
                await JsonBodyGuard.CheckAsync(context).ConfigureAwait(false);
            }

            await next(context).ConfigureAwait(false);
            if (api && EmptyRoutingAnswer(context.Response) is { } detail)
            {
                // No route (or no such method on it): Prefect's server (FastAPI) says so in JSON, and so do we.
                await Results.Json(new { detail }, statusCode: context.Response.StatusCode).ExecuteAsync(context).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (!context.Response.HasStarted && ex is not OperationCanceledException)
        {
            var result = ex switch
            {
                ApiValidationException invalid => ApiResults.Invalid(invalid.Errors),
                FilterException filter => ApiResults.Invalid([new ApiError(["body", .. filter.Path], filter.Message, "value_error")]),
                KeyNotFoundException missing => Results.Json(new { detail = missing.Message }, statusCode: StatusCodes.Status404NotFound),
                ReferenceNotFoundException reference => Results.Json(
                    new { detail = $"Data integrity conflict: {reference.Field}: {reference.Message}" }, statusCode: StatusCodes.Status409Conflict),
                ConcurrencyConflictException conflict => Results.Json(new { detail = conflict.Message }, statusCode: StatusCodes.Status409Conflict),
                BadHttpRequestException bad when BindingFailure(context, bad) is { } error => ApiResults.Invalid([error]),
                BadHttpRequestException bad => Results.Json(new { detail = bad.Message }, statusCode: bad.StatusCode),
                WriteQueueFullException full => Results.Json(new { detail = full.Message }, statusCode: StatusCodes.Status429TooManyRequests),
                OrleansMessageRejectionException => Results.Json(
                    new { detail = "The grain that serves this request was moving between activations or silos; try again." },
                    statusCode: StatusCodes.Status503ServiceUnavailable),
                DbException { SqlState: { } state } when Unstorable(state) is { } reason => ApiResults.Invalid([new ApiError(["body"], reason, "value_error")]),
                _ => null,
            };
            if (result is null)
            {
                var logger = context.RequestServices.GetService(typeof(ILogger<ApiValidationException>)) as ILogger;
                if (logger is not null)
                {
                    LogUnhandled(logger, ex, context.Request.Method, context.Request.Path);
                }

                result = Results.Json(new { detail = "Internal server error." }, statusCode: StatusCodes.Status500InternalServerError);
            }

            context.Response.Clear();
            if (ex is WriteQueueFullException or OrleansMessageRejectionException)
            {
                // Back-pressure, or a call that did not reach its grain: the client is told when to try again (Prefect's
                // client retries 429 and 503 after Retry-After).
                context.Response.Headers.RetryAfter = "1";
            }

            await result.ExecuteAsync(context).ConfigureAwait(false);
        }
    });

    /// <summary>The detail for a 404 or 405 that nothing has written a body for (routing found no endpoint, or none for the
    /// method), or null.</summary>
    private static string? EmptyRoutingAnswer(HttpResponse response) =>
        response.HasStarted || response.ContentLength is not null || !string.IsNullOrEmpty(response.ContentType)
            ? null
            : response.StatusCode switch
            {
                StatusCodes.Status404NotFound => "Not Found",
                StatusCodes.Status405MethodNotAllowed => "Method Not Allowed",
                _ => null,
            };

    /// <summary>Why PostgreSQL refused a value the checks at the door let through (a last line: nothing was stored, the
    /// transaction rolled back), or null for any other database error.</summary>
    private static string? Unstorable(string sqlState) => sqlState switch
    {
        "54000" => "a value is too large to be stored (a name, key or tag too long to index)",
        "22P05" or "22021" => "a value is not storable text",
        "22003" => "a number is out of range",
        _ => null,
    };

    /// <summary>A route or query value that did not bind, as a 422 error naming it: minimal APIs report
    /// <c>Failed to bind parameter "Guid id" from "abc".</c></summary>
    private static ApiError? BindingFailure(HttpContext context, BadHttpRequestException exception)
    {
        const string Prefix = "Failed to bind parameter \"";
        var message = exception.Message;
        if (exception.StatusCode != StatusCodes.Status400BadRequest || !message.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var declaration = message[Prefix.Length..message.IndexOf('"', Prefix.Length)];
        var name = declaration[(declaration.LastIndexOf(' ') + 1)..];
        var type = declaration.Contains("Guid", StringComparison.Ordinal) ? "type_error.uuid" : "type_error";
        var where = context.Request.RouteValues.ContainsKey(name) ? "path" : "query";
        return new ApiError([where, name], type == "type_error.uuid" ? "value is not a valid uuid" : "value is not valid", type);
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
