using Microsoft.AspNetCore.Http;

namespace OrleansFlow.Ui.Rendering;

/// <summary>What a page tells the HTTP response beyond its markup.</summary>
internal static class PageResponse
{
    /// <summary>Makes the page answer 404 when the item it shows does not exist: a link to a deleted or mistyped item reads
    /// as missing to browsers, crawlers and scripts alike, while the page still shows its own message and the navigation.</summary>
    /// <remarks>The status is set as the response starts, after the page rendered: ASP.NET Core's component endpoint
    /// writes no body when the status changes while it renders (it leaves the answer to a status-code-pages re-execution,
    /// which this app does not use). The pages render without streaming, so the response has not started before.</remarks>
    public static void NotFound(HttpContext? context)
    {
        if (context is { Response.HasStarted: false })
        {
            context.Response.OnStarting(() =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        }
    }
}
