using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OrleansFlow.Ui.Endpoints;

/// <summary>The stylesheet and script, embedded in the assembly and served with a version-keyed ETag.</summary>
internal static class UiAssets
{
    private static readonly string ETag = $"\"{typeof(UiAssets).Assembly.ManifestModule.ModuleVersionId:N}\"";

    public static void MapUiAssets(this IEndpointRouteBuilder endpoints)
    {
        var css = Read("app.css");
        var js = Read("app.js");
        endpoints.MapGet("/ui/app.css", (HttpContext context) => Serve(context, css, "text/css; charset=utf-8"));
        endpoints.MapGet("/ui/app.js", (HttpContext context) => Serve(context, js, "text/javascript; charset=utf-8"));
    }

    private static IResult Serve(HttpContext context, byte[] content, string contentType)
    {
        context.Response.Headers.ETag = ETag;
        context.Response.Headers.CacheControl = "no-cache";
        return context.Request.Headers.IfNoneMatch == ETag ? Results.StatusCode(StatusCodes.Status304NotModified) : Results.Bytes(content, contentType);
    }

    private static byte[] Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"OrleansFlow.Ui.Assets.{name}")
            ?? throw new InvalidOperationException($"The UI asset {name} is not embedded.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
