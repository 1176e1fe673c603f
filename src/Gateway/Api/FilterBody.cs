using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OrleansFlow.Gateway.Api;

/// <summary>Reads a filter body as raw JSON (the Silo's translator checks it field by field); an empty body is no filter.</summary>
internal static class FilterBody
{
    public static async Task<JsonElement> ReadAsync(HttpContext context)
    {
        if (context.Request.ContentLength == 0)
        {
            return default;
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new ApiValidationException([new ApiError(["body"], ex.Message, "value_error.jsondecode")]);
        }
    }
}
