using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OrleansFlow.Gateway.Api;

/// <summary>Responses in Prefect's shapes.</summary>
internal static class ApiResults
{
    public static IResult NotFound(string what) => Results.Json(new { detail = $"{what} not found" }, statusCode: StatusCodes.Status404NotFound);

    public static IResult Conflict(string detail) => Results.Json(new { detail }, statusCode: StatusCodes.Status409Conflict);

    public static IResult Invalid(IReadOnlyList<ApiError> errors, JsonElement? body = null) => Results.Json(
        new Dictionary<string, object?>
        {
            ["exception_message"] = "Invalid request received.",
            // A message may quote the bad value, which may be huge: the answer repeats at most a few hundred characters of it.
            ["exception_detail"] = EchoLimit.Apply(errors),
            ["request_body"] = body,
        },
        statusCode: StatusCodes.Status422UnprocessableEntity);

    public static IResult Json<T>(T value, int statusCode = StatusCodes.Status200OK) => Results.Json(value, statusCode: statusCode);
}
